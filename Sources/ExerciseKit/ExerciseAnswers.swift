import NN
import Tensor

/// The functions the exercises ask for, one per task: the table that `Ch11_Exercises check`
/// grades. The starter code (module `Exercises`) and the reference solutions (module
/// `Solutions`) each fill one in, so the checker never knows whose code it is calling.
public struct ExerciseAnswers {
    // 11.1 losses on logits
    public var discriminatorLoss: (_ realLogits: Tensor, _ fakeLogits: Tensor) throws -> Tensor
    public var generatorLoss: (_ fakeLogits: Tensor) throws -> Tensor
    // 11.2 the DCGAN generator's upsampling block
    public var generatorBlock: (_ inChannels: Int, _ outChannels: Int, _ weights: inout SeededGenerator) throws -> any Layer
    // 11.3 conditional inputs
    public var generatorInput: (_ noise: Tensor, _ labels: [Int], _ classes: Int) throws -> Tensor
    public var realDiscriminatorInput: (_ images: Tensor, _ labels: [Int], _ batch: [Int], _ classes: Int) throws -> Tensor
    // 11.4 keeping a critic Lipschitz
    public var clipWeights: (_ critic: any Layer, _ limit: Float) throws -> Void
    public var gradientPenalty: (_ critic: (Tensor) -> Tensor, _ real: Tensor, _ fake: Tensor, _ mixing: Tensor) throws -> Tensor
    // 11.5 metrics
    public var frechetDistance: (_ meanA: [Double], _ covarianceA: [Double], _ meanB: [Double], _ covarianceB: [Double]) throws -> Double
    public var inceptionScore: (_ probabilities: [[Double]]) throws -> Double

    public init(
        discriminatorLoss: @escaping (_ realLogits: Tensor, _ fakeLogits: Tensor) throws -> Tensor,
        generatorLoss: @escaping (_ fakeLogits: Tensor) throws -> Tensor,
        generatorBlock: @escaping (_ inChannels: Int, _ outChannels: Int, _ weights: inout SeededGenerator) throws -> any Layer,
        generatorInput: @escaping (_ noise: Tensor, _ labels: [Int], _ classes: Int) throws -> Tensor,
        realDiscriminatorInput: @escaping (_ images: Tensor, _ labels: [Int], _ batch: [Int], _ classes: Int) throws -> Tensor,
        clipWeights: @escaping (_ critic: any Layer, _ limit: Float) throws -> Void,
        gradientPenalty: @escaping (_ critic: (Tensor) -> Tensor, _ real: Tensor, _ fake: Tensor, _ mixing: Tensor) throws -> Tensor,
        frechetDistance: @escaping (_ meanA: [Double], _ covarianceA: [Double], _ meanB: [Double], _ covarianceB: [Double]) throws -> Double,
        inceptionScore: @escaping (_ probabilities: [[Double]]) throws -> Double
    ) {
        self.discriminatorLoss = discriminatorLoss
        self.generatorLoss = generatorLoss
        self.generatorBlock = generatorBlock
        self.generatorInput = generatorInput
        self.realDiscriminatorInput = realDiscriminatorInput
        self.clipWeights = clipWeights
        self.gradientPenalty = gradientPenalty
        self.frechetDistance = frechetDistance
        self.inceptionScore = inceptionScore
    }
}

/// What a task's starter code throws until it is written: the checker reports the task as
/// "not started" instead of failing it.
public struct NotImplementedYet: Error, CustomStringConvertible {
    public let function: String
    public init(function: String = #function) { self.function = function }
    public var description: String { "\(function) is not implemented yet" }
}

extension ExerciseAnswers {
    /// Every task unwritten. A copy of the workbook handed out without the reference
    /// solutions uses it in their place (see `Tools/exercises-handout.sh`).
    public static var unwritten: ExerciseAnswers {
        ExerciseAnswers(
            discriminatorLoss: { _, _ in throw NotImplementedYet(function: "discriminatorLoss") },
            generatorLoss: { _ in throw NotImplementedYet(function: "generatorLoss") },
            generatorBlock: { _, _, _ in throw NotImplementedYet(function: "generatorBlock") },
            generatorInput: { _, _, _ in throw NotImplementedYet(function: "generatorInput") },
            realDiscriminatorInput: { _, _, _, _ in throw NotImplementedYet(function: "realDiscriminatorInput") },
            clipWeights: { _, _ in throw NotImplementedYet(function: "clipWeights") },
            gradientPenalty: { _, _, _, _ in throw NotImplementedYet(function: "gradientPenalty") },
            frechetDistance: { _, _, _, _ in throw NotImplementedYet(function: "frechetDistance") },
            inceptionScore: { _ in throw NotImplementedYet(function: "inceptionScore") })
    }
}
