import ArgumentParser
import Foundation

/// The chapter's command line once parsed (`parseCommandLine()` keeps it), so that a run can
/// record the value of every option, its own and the shared ones, without each chapter
/// listing them.
public enum ParsedCommandLine {
    nonisolated(unsafe) private static var recorded: [(name: String, value: String?)]?

    /// Every option and flag of the parsed command, by long name, in the order of `--help`;
    /// nil before a command line was parsed (a test, a tool).
    public static var optionValues: [(name: String, value: String?)]? { recorded }

    static func record<Command: ParsableArguments>(_ command: Command) {
        recorded = optionValues(of: command)
    }

    /// The values of `command`'s options, named as on the command line. The values come from
    /// the property wrappers in declaration order (`Mirror`), the names from ArgumentParser's
    /// own description of the command, whose arguments come in that same order; where the two
    /// disagree in number, the property's name in kebab case stands in.
    static func optionValues<Command: ParsableArguments>(of command: Command) -> [(name: String, value: String?)] {
        let values = leaves(of: command)
        let names = longNames(of: Command.self)
        let trusted = names.count == values.count
        return values.enumerated().map { index, leaf in
            (trusted ? names[index] : kebabCase(leaf.property), leaf.value)
        }
    }

    /// (property name, value as text) of every @Option, @Flag and @Argument, groups flattened.
    private static func leaves(of arguments: Any) -> [(property: String, value: String?)] {
        var found: [(property: String, value: String?)] = []
        for child in Mirror(reflecting: arguments).children {
            guard let label = child.label, label.hasPrefix("_") else { continue }
            let kind = String(describing: type(of: child.value))
            if kind.hasPrefix("OptionGroup<") {
                if let group = parsedValue(of: child.value) { found += leaves(of: group) }
            } else if kind.hasPrefix("Option<") || kind.hasPrefix("Flag<") || kind.hasPrefix("Argument<") {
                let value = parsedValue(of: child.value).flatMap(describe) ?? String(describing: child.value)
                found.append((String(label.dropFirst()), value))
            }
        }
        return found
    }

    /// The value inside a parsed property wrapper (its `_parsedValue`'s `.value` payload).
    private static func parsedValue(of wrapper: Any) -> Any? {
        guard let parsed = Mirror(reflecting: wrapper).children.first(where: { $0.label == "_parsedValue" })?.value,
              let payload = Mirror(reflecting: parsed).children.first, payload.label == "value" else { return nil }
        return payload.value
    }

    /// A value as the command line spells it: an enum by its raw value, nil for an absent optional.
    private static func describe(_ value: Any) -> String?? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return .some(nil) }
            return describe(wrapped)
        }
        if let argument = value as? any ExpressibleByArgument { return .some(argument.defaultValueDescription) }
        return .some(String(describing: value))
    }

    /// The long names of `Command`'s arguments, in order, without `--help` and `--version`.
    private static func longNames(of command: any ParsableArguments.Type) -> [String] {
        guard let data = command._dumpHelp().data(using: .utf8),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let info = root["command"] as? [String: Any],
              let arguments = info["arguments"] as? [[String: Any]] else { return [] }
        return arguments.compactMap { argument -> String? in
            let preferred = argument["preferredName"] as? [String: Any]
            let names = (argument["names"] as? [[String: Any]]) ?? []
            let long = names.first { $0["kind"] as? String == "long" }?["name"] as? String
            let name = long ?? preferred?["name"] as? String ?? argument["valueName"] as? String ?? "?"
            return name == "help" || name == "version" ? nil : name
        }
    }

    static func kebabCase(_ name: String) -> String {
        name.reduce(into: "") { text, character in
            if character.isUppercase { text += "-" + character.lowercased() } else { text.append(character) }
        }
    }
}
