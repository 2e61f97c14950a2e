import ArgumentParser
import Foundation
import NN
import Tensor
import Workbook

/// `train-classifier`: remakes `models/classifier.safetensors`, the network the metrics look through.
struct TrainClassifier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-classifier",
        abstract: "Retrain the feature classifier and write its weights (--classifier, models/classifier.safetensors).")

    @OptionGroup var common: CommonOptions

    @Option(help: "Passes over the training split.")
    var epochs: Int = 2

    @Option(help: "Examples per minibatch.")
    var batchSize: Int = 64

    @Option(name: .customLong("lr"), help: "Adam's learning rate.")
    var learningRate: Float = 1e-3

    func validate() throws {
        try requirePositive(epochs, "--epochs")
        try requirePositive(batchSize, "--batch-size")
        try requirePositive(learningRate, "--lr")
    }

    func run() {
        orExit {
            try common.prepare()
            let limit = common.quick ? 512 : nil
            let train = try loadIDXDataset(directory: common.data, split: .train, limit: limit)
            let test = try loadIDXDataset(directory: common.data, split: .test, limit: limit)
            let started = ContinuousClock.now
            // snippet.train-classifier
            var weights = SeededGenerator(seed: common.seed)
            let classifier = FeatureClassifier(using: &weights)
            let optimizer = Adam(classifier.parameters, learningRate: learningRate)
            var batches = try MinibatchIterator(train, batchSize: batchSize, seed: common.seed)
            let steps = common.quick ? 3 : epochs * batches.batchesPerEpoch
            var progress = WorkProgress("training step", total: steps)
            var smoothedLoss: Float = 0
            for step in 0..<steps {
                // The last epoch at a tenth of the rate lets the weights settle.
                optimizer.learningRate = step >= (epochs - 1) * batches.batchesPerEpoch && epochs > 1
                    ? learningRate / 10 : learningRate
                let batch = batches.next()!
                let logits = classifier(Tensor(shape: batch.shape, values: batch.values))
                let loss = crossEntropy(logits: logits, labels: batch.labels)
                optimizer.step(gradients(of: loss, wrt: classifier.parameters))
                smoothedLoss = step == 0 ? loss.item : 0.98 * smoothedLoss + 0.02 * loss.item
                progress.update(step + 1, note: "epoch \(batches.epoch + 1)  loss \(String(format: "%.4f", smoothedLoss))")
            }
            let accuracy = try classifier.accuracy(imageTensor(test), labels: test.labels)
            // snippet.end
            let seconds = (ContinuousClock.now - started).components.seconds
            // A --quick run must never replace the shipped weights.
            let path = common.quick ? "\(common.checkpointDir)/classifier.safetensors" : common.classifier
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try classifier.save(to: path, metadata: [
                "epochs": String(epochs), "batch_size": String(batchSize), "lr": String(learningRate),
                "seed": String(common.seed), "test_accuracy": String(format: "%.4f", accuracy),
            ])
            print(String(format: "test accuracy %.2f%% after %d steps in %d s; weights written to %@",
                         accuracy * 100, steps, seconds, path))
            printSummary(command: "train-classifier", [("steps", "\(steps)"), ("seconds", "\(seconds)"),
                                                       ("test_accuracy", String(format: "%.4f", accuracy))])
        }
    }
}
