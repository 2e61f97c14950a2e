/*:
 ### Exercises you can check

 The commands above explore; these tasks build. Each one is a single function in
 `Sources/Exercises/`, shipped as a stub that compiles and throws `NotImplementedYet`. You
 replace the body, and a checker grades it:

     swift run Ch11_Exercises list                  the tasks, with the file each lives in
     swift run Ch11_Exercises check                 every task: pass, FAIL with a hint, or not started
     swift run Ch11_Exercises check TASK…           only these tasks
     swift run Ch11_Exercises check --solutions     the same checks on the reference solutions
     swift run Ch11_Exercises check --json          the results as one JSON object, for a script
     swift run Ch11_Exercises check --junit FILE    the results also as JUnit XML, for a CI server

 A check feeds your function random inputs and compares what comes back with the
 library's own version of the same computation: the shape first, then the values, then
 the gradients that training would take from it (second derivatives where the task is
 about them), and for some tasks the time it takes and the statistics of the weights it
 creates. It stops at the first difference and says what it found and where: *wrong shape*
 (what it got, what it expected), *wrong value* at which input or element, *gradient
 missing* (nothing flows back to an input or a weight), *too slow* (against the library
 on the same work). Every task also names the mistake the original chapter's code made at
 that spot, and one of its checks is built to catch that mistake. The whole set runs in a
 few seconds; `check` exits with status 0 only if every task it was asked about passes,
 with `--json` too, so a teacher's script can grade a class from the exit status and the
 JSON's per-task `result` ("passed", "failed", "not-started") and `hint`.

 Each task runs in a process of its own, so a crash in one, such as a shape precondition
 failing inside a tensor op, fails that task only, with a hint that keeps the op's message
 (the shapes it was given), names the op and the line of your file that called it; the
 other tasks are still graded. Anything your code
 prints shows up in the report, marked with the task's name, even when it crashes. `--out DIR` also draws the results as a bar chart,
 `DIR/ch11_exercises_checks.png`.

 You may use everything in the `Tensor` and `NN` modules, and `symmetricEigen` (a
 symmetric eigen-decomposition in Float64) from `ExerciseKit`. The reference solutions are
 in `Sources/Solutions/`; a teacher who hands out the starters alone can remove them with
 `Tools/exercises-handout.sh DIR`, which writes a copy of the workbook without them.

 #### Tasks `discriminator-loss` and `generator-loss`: the losses, on logits

 `discriminatorLoss(realLogits:fakeLogits:)` returns −E[log D(x)] − E[log(1 − D(G(z)))]
 for D = σ(logit), and `generatorLoss(fakeLogits:)` returns the non-saturating
 −E[log D(G(z))]. Both take the discriminator's raw scores and return a scalar tensor.

 The trap: computing σ first and then its log. A Float32 sigmoid is exactly 1 from about
 x = 17 on, and exactly 0 far enough below zero, so the log becomes −∞ and the gradient
 divides by zero. The check uses logits as large as ±200. Rewrite log σ(x) so that σ(x)
 is never formed (softplus is log(1 + eˣ) computed safely). The generator's check also
 tells you if you wrote the saturating loss instead.

     swift run Ch11_Exercises check discriminator-loss generator-loss

 #### Task `generator-block`: an upsampling block of the DCGAN generator

 `generatorBlock(inChannels:outChannels:using:)` returns a layer that doubles height and
 width: a transposed convolution (kernel 4, stride 2, padding 1), batch normalisation,
 ReLU. The check stacks two blocks and expects 7 × 7 to become 14 × 14 and then 28 × 28,
 finds the transposed convolution's [in, out, 4, 4] weight and the normalisation's scale and
 shift among the parameters, recomputes the block with the library's ops and compares output
 and gradients, and times a forward and backward pass.

 The trap: the original chapter left the DCGAN initialisation as a to-do and trained with
 the framework's default. DCGAN draws convolution weights from N(0, 0.02²), batch-norm
 scales from N(1, 0.02²), and zeroes the biases. For this layer PyTorch's default uniform
 initialisation has almost the same standard deviation (0.018), so the check looks at the
 tails: about 12 % of N(0, 0.02²) lies beyond ±0.031, and nothing of the uniform.

     swift run Ch11_Exercises check generator-block

 #### Tasks `generator-input` and `real-labels`: telling the players the class

 `generatorInput(noise:labels:classes:)` appends each noise vector's one-hot label:
 [n, latent] becomes [n, latent + classes], and gradients still reach the noise.
 `realDiscriminatorInput(images:labels:batch:classes:)` builds the discriminator's input for
 a minibatch of real images, given the whole data set and the minibatch's indices: each
 image followed by one constant plane per class, the plane of its label set to 1.

 The traps are the original chapter's two cGAN bugs. It appended the label as one raw
 number, which tells the network that class 9 is three times class 3; the check recognises
 that shape and says so. And it paired real images with random labels, so the
 discriminator never learned what a class looks like and the generator had no reason to
 obey its label; the check reports the first image whose planes name another class than
 its own.

     swift run Ch11_Exercises check generator-input real-labels

 #### Tasks `weight-clipping` and `gradient-penalty`: keeping the critic Lipschitz

 `clipWeights(of:to:)` clips every parameter of a critic, weights and biases, to
 [−c, c]. `gradientPenalty(critic:real:fake:mixing:)` returns WGAN-GP's
 E[(‖∇ₓ̂ C(x̂)‖₂ − 1)²] at x̂ = ε·real + (1 − ε)·fake, with one ε per sample given as
 `mixing`, without the weight λ.

 The traps: the original's clipping clamped each tensor into a new one and stored it in
 a loop variable, so the critic's weights never changed; the check compares the stored
 parameters before and after. Its penalty took the inner gradient with a backward pass
 that recorded no graph, so the penalty was a constant that sent no gradient to the
 critic; the check differentiates your penalty with respect to the critic's weights, a
 second derivative of the critic, and compares it with the library's. It also makes sure
 that the norm runs over all of a sample's channels and pixels, not along one axis. Then
 comes the one training run of the set: a small critic trained for 200 steps on two 2-D
 clouds with your penalty must end with a gradient norm near 1 at the interpolates (about
 1.15; without a working penalty it passes 8) while still scoring the two clouds apart.

     swift run Ch11_Exercises check weight-clipping gradient-penalty

 #### Tasks `frechet-distance` and `inception-score`: the metrics

 `frechetDistance(meanA:covarianceA:meanB:covarianceB:)` returns
 ‖μa − μb‖² + Tr Σa + Tr Σb − 2 Tr (Σa Σb)^½ for row-major d × d covariances, and
 `inceptionScore(probabilities:)` returns exp(E_x KL(p(y|x) ‖ p(y))) for one row of class
 probabilities per sample.

 The traps: the original took the square root of each entry of Σa Σb, which is a different
 number from the trace of the matrix square root whenever the covariances are not diagonal.
 The check starts with diagonal covariances, where the two agree, so when the full ones
 then fail, the hint can point at the square root. One route that stays with symmetric
 matrices: Tr (Σa Σb)^½ is the sum of √λ over the eigenvalues of Σa^½ Σb Σa^½. And the
 original's Inception Score computed p(y) from each image alone, which makes p(y) equal
 p(y|x), every KL term zero and every score 1; the marginal is the mean over the whole
 sample. The checks use cases with known answers (a Gaussian against itself, 40 certain
 samples spread over 8 classes, whose score is exactly 8), random ones against the
 library, and a speed test that a marginal recomputed for every sample does not pass.

     swift run Ch11_Exercises check frechet-distance inception-score
 */
import ExerciseChecks
import Exercises
import Formats
import Foundation
import Solutions
import Workbook

switch request {
case .list:
    for task in exerciseTasks {
        print("\(task.exercise)  \(task.name.padding(toLength: 20, withPad: " ", startingAt: 0))\(task.summary)")
    }

case .check(let tasks, let solutions, let figureFolder, let json, let junitFile):
    // Each task runs in a child process: a crash in one task's code fails that task only.
    let reports = tasks.map { task in
        let report = checkInChildProcess(task, executable: thisProgram,
                                         arguments: ["check-task", task.name] + (solutions ? ["--solutions"] : []))
        if !json { (outputLines(report) + [reportLine(report)]).forEach { print($0) } }
        return report
    }
    let whose = solutions ? "the reference solutions" : "your code"
    if let figureFolder {
        orExit { try summaryFigure(reports, of: whose).write(to: "\(figureFolder)/\(summaryFigureName)") }
    }
    let results = CheckResults(reports, checked: whose)
    if let junitFile { orExit { try atomicWrite(Data(junitXML(results).utf8), to: junitFile) } }
    print(json ? results.json() : summaryLine(reports))
    exit(exitStatus(of: reports))

case .checkTask(let task, let solutions):
    let report = checkForParentProcess(task, on: solutions ? referenceAnswers : yourAnswers)
    exit(exitStatus(of: [report]))  // a script running one task alone sees its result too
}

/*:
 ### Summary

 - Each of the five tasks is one function in `Sources/Exercises/`, shipped as a stub that
   compiles, and `swift run Ch11_Exercises check` grades it against the library's own
   version: shape, then values, then the gradients training would take from it.
 - Every task names the original chapter's mistake at that spot (log of a sigmoid, default
   initialisation, raw or random labels, clipping a copy, a penalty without a graph, an
   elementwise square root, a per-image marginal), and one of its checks is built to catch it.
 - Each task is graded in a process of its own, so a crash fails that task alone, with a hint
   that names the op and the line that called it.
 */
