// swift-tools-version: 6.0
import PackageDescription

// Readers type `swift run Ch11_3_WGANGP`, which builds in the debug configuration.
// These flags make that build as fast as a release build: optimise, skip exclusivity
// checks in hot loops, and keep hot loops free of debug-only checks.
let fast: [SwiftSetting] = [
    .unsafeFlags(["-O", "-enforce-exclusivity=unchecked"]),
]
// The C kernels: vectorise, and let sqrtf be an instruction (no errno).
let cFast: [CSetting] = [.unsafeFlags(["-O3", "-fno-math-errno"])]

// One executable per section of the chapter; add a chapter here when its folder exists.
let chapters = [
    "Ch11_1_GenerativeModels",
    "Ch11_2_Minimax",
    "Ch11_2_WGAN",
    "Ch11_3_WGANGP",
    "Ch11_3_ModeCollapse",
    "Ch11_5_Metrics",
    "Ch11_2_RGAN",
    "Ch11_4_DCGAN",
    "Ch11_4_CGAN",
]

let package = Package(
    name: "GANsInSwift",
    platforms: [.macOS(.v14)],
    products: chapters.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CGD", path: "Sources/CGD"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "CKernels", cSettings: cFast),
        .target(name: "Tensor", dependencies: ["CBLAS", "CKernels"], swiftSettings: fast),
        .target(name: "NN", dependencies: ["Tensor", "CZlib", "CKernels"], swiftSettings: fast),
        .target(
            name: "Workbook",
            dependencies: [
                "NN", "Tensor", "CGD", "CZlib", "CBLAS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fast),
        .executableTarget(
            name: "Bench",
            dependencies: [
                "Workbook", "NN", "Tensor", "CBLAS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/Bench",
            exclude: ["peer"], swiftSettings: fast),
        .target(name: "Book", path: "Sources/Book"),
        .executableTarget(name: "BookTool", dependencies: ["Book"], path: "Tools/BookTool"),
        .testTarget(name: "BookTests", dependencies: ["Book"]),
        // Runs the chapter executables; they are built by `swift build`/`swift test` too.
        .testTarget(name: "ChapterTests", dependencies: ["CGD"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"], swiftSettings: fast),
        .testTarget(name: "NNTests", dependencies: ["NN", "Tensor"], swiftSettings: fast),
        .testTarget(
            name: "WorkbookTests", dependencies: ["Workbook", "NN", "Tensor", "CGD"], exclude: ["Fixtures"],
            swiftSettings: fast),
    ] + chapters.map {
        .executableTarget(
            name: $0, dependencies: ["Workbook", "NN", "Tensor"], path: "Chapters/\($0)",
            swiftSettings: fast)
    }
)
