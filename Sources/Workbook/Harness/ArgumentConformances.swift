import ArgumentParser
// Chapters name `workbookVersion` in their CommandConfiguration, for `--version`.
@_exported import Version

// The library's choices that chapters take as command-line values (`--loss saturating`):
// kept beside the options, so the GAN code itself knows nothing of the command line.
extension GeneratorLossKind: ExpressibleByArgument {}
extension DiscriminatorConditioning: ExpressibleByArgument {}
extension AdversarialLoss: ExpressibleByArgument {}
extension ToyDistribution: ExpressibleByArgument {}
extension ChapterGenerator: ExpressibleByArgument {
    /// A chapter's name or an architecture's (`--architecture dcgan`).
    public init?(argument: String) { self.init(name: argument) }

    public static var allValueStrings: [String] {
        allCases.map(\.rawValue) + architectureNames.flatMap(\.names)
    }
}
