import ExerciseKit

// Your answers to the checkable exercises of chapter 11, one function per task, in the
// files beside this one. Each starts out throwing `NotImplementedYet`; replace the body,
// then run `swift run Ch11_Exercises check TASK`. You may use everything in the `Tensor`
// and `NN` modules, and `symmetricEigen` from `ExerciseKit`.

/// Your functions as the table the checker calls. Nothing to change here.
public var yourAnswers: ExerciseAnswers {
    ExerciseAnswers(
        discriminatorLoss: discriminatorLoss, generatorLoss: generatorLoss, generatorBlock: generatorBlock,
        generatorInput: generatorInput, realDiscriminatorInput: realDiscriminatorInput,
        clipWeights: clipWeights, gradientPenalty: gradientPenalty,
        frechetDistance: frechetDistance, inceptionScore: inceptionScore)
}
