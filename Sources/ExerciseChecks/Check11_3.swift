import ExerciseKit
import Tensor
import Workbook

// 11.3: the conditional inputs against the library's `generatorInput` and
// `discriminatorInput(…, .channels)`, with diagnoses of the original chapter's two bugs.

func checkGeneratorInput(_ answers: ExerciseAnswers, _ log: CheckLog) throws {
    var random = SeededGenerator(seed: 113)
    let (latent, classes) = (5, 10)
    let labels = [3, 0, 9, 3, 7, 1]
    let noise = Tensor.randomNormal([labels.count, latent], using: &random).requiringGradient()
    let got = try answers.generatorInput(noise, labels, classes)
    let expected = generatorInput(noise: noise, labels: labels, classes: classes)
    if got.shape == [labels.count, latent + 1] {
        throw CheckFailure("wrong shape: \(formatted(got.shape)), expected \(formatted(expected.shape)); the label went in as one "
                           + "number (the original chapter's bug): append its one-hot vector of \(classes) values")
    }
    try expectShape(got, expected.shape, "the input for noise [6, 5] and 10 classes")
    for (row, label) in labels.enumerated() {
        let oneHot = (0..<classes).map { got.values[row * (latent + classes) + latent + $0] }
        guard oneHot == (0..<classes).map({ $0 == label ? 1 : 0 }) else {
            throw CheckFailure("wrong value: row \(row)'s last \(classes) entries are \(oneHot), expected the one-hot vector of label \(label)")
        }
    }
    try expectClose(got, expected, "the input for noise [6, 5] and 10 classes")
    log.pass()
    try expectGradients(of: got, expected, wrt: [("the noise", noise)], "the generator's input")
    log.pass()
}

func checkRealLabels(_ answers: ExerciseAnswers, _ log: CheckLog) throws {
    var random = SeededGenerator(seed: 1130)
    let (count, channels, size, classes) = (20, 3, 5, 10)
    let images = Tensor.randomNormal([count, channels, size, size], using: &random)
    let labels = (0..<count).map { ($0 * 7 + 3) % classes }
    let batch = [13, 2, 7, 7, 19, 0, 11, 5]
    let got = try answers.realDiscriminatorInput(images, labels, batch, classes)
    let expected = discriminatorInput(images: images.indexSelect(batch), labels: batch.map { labels[$0] },
                                      classes: classes, .channels)
    try expectShape(got, expected.shape, "the input for a minibatch of 8 images [3, 5, 5] and 10 classes",
                    because: "each image's \(channels) channels, then one constant plane per class")
    let plane = size * size, perImage = (channels + classes) * plane
    for (i, index) in batch.enumerated() {
        let pixels = Array(got.values[(i * perImage)..<(i * perImage + channels * plane)])
        guard pixels == Array(images.values[(index * channels * plane)..<((index + 1) * channels * plane)]) else {
            throw CheckFailure("wrong value: the pixels of minibatch image \(i) are not those of data set image \(index)")
        }
        let planes = (0..<classes).map { got.values[i * perImage + (channels + $0) * plane] }
        let carried = planes.firstIndex(of: 1)
        guard carried == labels[index] else {
            throw CheckFailure("wrong label: minibatch image \(i) is data set image \(index), of class \(labels[index]), but its "
                               + "planes say \(carried.map { "class \($0)" } ?? "\(planes)"); real images must carry their own "
                               + "labels (the original chapter drew random ones)")
        }
    }
    try expectClose(got, expected, "the input for a minibatch of 8 images and 10 classes")
    log.pass()
}
