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

// One executable per section, each the folder Chapters/<name>: adding a chapter is one line
// here. (The list is written out rather than read from the folder because SwiftPM caches
// the evaluated manifest by its text: a new folder would go unseen until this file changed.)
let chapters = [
    "Ch11_1_GenerativeModels",
    "Ch11_2_Warmup",
    "Ch11_2_Minimax",
    "Ch11_2_WGAN",
    "Ch11_2_RGAN",
    "Ch11_3_WGANGP",
    "Ch11_3_ModeCollapse",
    "Ch11_3_Techniques",
    "Ch11_4_DCGAN",
    "Ch11_4_CGAN",
    "Ch11_5_Metrics",
    "Ch11_6_Applications",
    "Ch11_Exercises",
]

// What a chapter needs beyond the library.
let chapterDependencies: [String: [Target.Dependency]] = [
    "Ch11_Exercises": ["ExerciseChecks", "Exercises", "Solutions", "ExerciseKit"],
]

let package = Package(
    name: "GANsInSwift",
    platforms: [.macOS(.v14)],
    products: chapters.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // TensorBoard's event files are protocol buffers.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // System libraries: a missing one gets SwiftPM's hint naming the package to install.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
        .systemLibrary(name: "CGD", path: "Sources/CGD", pkgConfig: "gdlib",
                       providers: [.apt(["libgd-dev", "libpng-dev", "fonts-dejavu-core"]), .brew(["gd"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .target(name: "CKernels", cSettings: cFast),
        .target(name: "Version"),
        .target(name: "Tensor", dependencies: ["CBLAS", "CKernels"], swiftSettings: fast),
        // File formats (safetensors, zip/npz/npy, gzip, TensorBoard event files, atomic writes)
        // and their error type.
        .target(name: "Formats", dependencies: ["CZlib", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                swiftSettings: fast),
        .target(name: "NN", dependencies: ["Tensor", "Formats", "CKernels"], swiftSettings: fast),
        .target(
            name: "Workbook",
            dependencies: [
                "NN", "Formats", "Tensor", "CGD", "CBLAS", "CKernels", "Version",
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
        .executableTarget(
            name: "BookTool",
            dependencies: ["Book", "Version", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/BookTool"),
        .testTarget(name: "BookTests", dependencies: ["Book"]),
        .testTarget(name: "VersionTests", dependencies: ["Version"]),
        // Runs the chapter executables; they are built by `swift build`/`swift test` too.
        .testTarget(name: "ChapterTests", dependencies: ["CGD"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"], swiftSettings: fast),
        .testTarget(
            name: "FormatsTests", dependencies: ["Formats", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: fast),
        .testTarget(name: "NNTests", dependencies: ["NN", "Formats", "Tensor"], swiftSettings: fast),
        .testTarget(
            name: "WorkbookTests", dependencies: ["Workbook", "NN", "Formats", "Tensor", "CGD"], exclude: ["Fixtures"],
            swiftSettings: fast),
        // The checkable exercises: starters (hand these out), reference solutions, the checks,
        // and the chapter-like command that runs them.
        .target(name: "ExerciseKit", dependencies: ["NN", "Tensor", "CBLAS"], swiftSettings: fast),
        .target(name: "Exercises", dependencies: ["ExerciseKit", "NN", "Tensor"], swiftSettings: fast),
        .target(name: "Solutions", dependencies: ["ExerciseKit", "NN", "Tensor"], swiftSettings: fast),
        .target(name: "ExerciseChecks", dependencies: ["ExerciseKit", "Workbook", "NN", "Tensor"], swiftSettings: fast),
        .testTarget(
            name: "ExercisesTests", dependencies: ["ExerciseChecks", "Exercises", "Solutions", "ExerciseKit", "NN", "Tensor"],
            swiftSettings: fast),
    ] + chapters.map {
        .executableTarget(
            name: $0, dependencies: ["Workbook", "NN", "Formats", "Tensor"] + (chapterDependencies[$0] ?? []),
            path: "Chapters/\($0)",
            swiftSettings: fast)
    }
)
