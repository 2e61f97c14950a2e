import Foundation
import Tensor
import Testing
@testable import Workbook

/// The two signs of collapse the WGAN section measures, on cases with known answers.
@Suite("Collapse diagnostics")
struct CollapseDiagnosticsTests {
    /// C(x) = w·x: the same gradient w at every image.
    let w = Tensor(shape: [3, 1], values: [3, 0, -4])
    func linearCritic(_ x: Tensor) -> Tensor { matmul(x, w) }

    @Test func aLinearCriticPushesEveryImageTheSameWay() {
        let images = Tensor(shape: [4, 3], values: [1, 2, 3, -1, 0, 5, 2, 2, 2, 0, 1, -3])
        let d = CollapseDiagnostics(critic: linearCritic, images: images)
        #expect(abs(d.gradientNorm - 5) < 1e-6)  // ‖(3, 0, −4)‖
        #expect(abs(d.gradientAlignment - 1) < 1e-6)
    }

    @Test func identicalImagesHaveNoSpreadAndDistinctOnesTheirStandardDeviation() {
        let same = Tensor(shape: [3, 2], values: [0.5, -0.5, 0.5, -0.5, 0.5, -0.5])
        #expect(CollapseDiagnostics(critic: linearCritic2, images: same).pixelSpread == 0)
        // Pixel 1 takes −1 and 1 (sample sd √2), pixel 2 takes 0 and 0: the mean is √2 / 2.
        let two = Tensor(shape: [2, 2], values: [-1, 0, 1, 0])
        #expect(abs(CollapseDiagnostics(critic: linearCritic2, images: two).pixelSpread - 2.0.squareRoot() / 2) < 1e-6)
    }

    /// C(x) = ½‖x‖²: the gradient is x itself, so opposite images get opposite pushes.
    @Test func opposingGradientsCancelTheAlignment() {
        let images = Tensor(shape: [2, 2], values: [1, 0, 0, 1])
        let d = CollapseDiagnostics(critic: { (0.5 * $0.squared()).sum(alongAxes: 1) }, images: images)
        // Gradients (1, 0) and (0, 1); their mean (½, ½) is 45° from each.
        #expect(abs(d.gradientAlignment - (0.5).squareRoot()) < 1e-6)
        #expect(abs(d.gradientNorm - 1) < 1e-6)
    }

    func linearCritic2(_ x: Tensor) -> Tensor { matmul(x, Tensor(shape: [2, 1], values: [1, 1])) }

    @Test func theTablePrintsOneRowPerBatch() {
        let images = Tensor(shape: [2, 3], values: [1, 2, 3, 3, 2, 1])
        let table = CollapseDiagnostics.table([("two images", CollapseDiagnostics(critic: linearCritic, images: images))])
        let rows = table.split(separator: "\n")
        #expect(rows.count == 3)
        #expect(rows[2] == "| two images | 0.943 | 5 | 1.000 |")
    }
}
