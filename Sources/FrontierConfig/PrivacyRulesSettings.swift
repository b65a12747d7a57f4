import Foundation
import FrontierRouting

/// `privacy.recognizers` and `privacy.deny_lists`: the operator's own rules, compiled and loaded here so that a
/// pattern the engine refuses or a deny list it cannot read stops the config at load, with the reason.
///
/// ```yaml
/// privacy:
///   recognizers:
///     - {name: hsp_number, category: medical_record_number, pattern: 'HSP-[0-9]{8}', validate: mod11}
///   deny_lists:
///     - {name: patients, category: person_name, file: patients.txt}
/// ```
extension ConfigLoader {
    /// The largest deny-list file read.
    static let maxDenyListBytes = 64 << 20

    static func operatorRules(_ privacy: NodeReader, configFile: String, files: inout [String]) throws(ConfigError) -> OperatorRecognizers? {
        var names = Set<String>()
        var patterns: [PatternRecognizer] = []
        for (n, node) in (privacy.node("recognizers")?.sequence ?? []).enumerated() {
            let r = try NodeReader(
                file: privacy.file, context: "privacy.recognizers[\(n)]", node: node,
                known: ["name", "category", "pattern", "context", "window", "validate", "min_score"])
            let name = try ruleName(r, names: &names)
            let category = try category(r)
            let pattern = try r.requiredString("pattern")
            let validation: PatternRecognizer.Validation
            if let text = try r.string("validate") {
                guard let parsed = PatternRecognizer.Validation(rawValue: text) else {
                    throw r.fail("validate", "must be one of \(PatternRecognizer.Validation.allCases.map(\.rawValue).joined(separator: ", ")); got '\(text)'.")
                }
                validation = parsed
            } else {
                validation = .none
            }
            let context = try r.stringList("context") ?? []
            let minScore = try r.double("min_score", minimum: 0, maximum: 1) ?? PatternRecognizer.baseScore
            if minScore > PatternRecognizer.baseScore + PatternRecognizer.contextBonus + (validation == .none ? 0 : PatternRecognizer.checksumBonus) + 1e-9 {
                throw r.fail("min_score", "is \(minScore), above the highest score a match of this recognizer can have; at most 0.9 (1.0 with validate).")
            }
            if context.isEmpty, minScore > PatternRecognizer.baseScore + (validation == .none ? 0 : PatternRecognizer.checksumBonus) + 1e-9 {
                throw r.fail("min_score", "is \(minScore), which only a match with a context word reaches, and the recognizer has no context words.")
            }
            let window = try r.int("window", minimum: 0, maximum: PatternRecognizer.maxWindow) ?? 40
            do throws(PatternError) {
                patterns.append(try PatternRecognizer(
                    name: name, category: category, pattern: pattern, context: context, window: window, validation: validation, minScore: minScore))
            } catch {
                throw r.fail("pattern", "\(error.message).")
            }
        }
        var lists: [DenyList] = []
        for (n, node) in (privacy.node("deny_lists")?.sequence ?? []).enumerated() {
            let d = try NodeReader(file: privacy.file, context: "privacy.deny_lists[\(n)]", node: node, known: ["name", "category", "file"])
            let name = try ruleName(d, names: &names)
            let category = try category(d)
            let path = resolve(try d.requiredString("file"), besideConfig: configFile)
            files.append(path)
            let text: String
            do {
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                if let size = attributes[.size] as? Int, size > maxDenyListBytes {
                    throw d.fail("file", "is \(size) bytes; a deny list is at most \(maxDenyListBytes >> 20) MiB.")
                }
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch let error as ConfigError {
                throw error
            } catch {
                throw d.fail("file", "cannot be read as UTF-8 text (\(path)): \(error.localizedDescription)")
            }
            do throws(DenyListError) {
                lists.append(try DenyList(name: name, category: category, lines: text.split(whereSeparator: \.isNewline)))
            } catch {
                throw d.fail("file", "(\(path)): \(error.message).")
            }
        }
        return patterns.isEmpty && lists.isEmpty ? nil : OperatorRecognizers(patterns: patterns, denyLists: lists)
    }

    /// A rule's `name`: unique among recognizers and deny lists, and safe in a log line and a metric label.
    private static func ruleName(_ r: NodeReader, names: inout Set<String>) throws(ConfigError) -> String {
        let name = try r.requiredString("name")
        guard name.utf8.count <= 64, name.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 || $0 == 45 }) else {
            throw r.fail("name", "must be 1 to 64 of a-z, 0-9, '_' and '-'; got '\(name.prefix(64))'.")
        }
        guard names.insert(name).inserted else { throw r.fail("name", "'\(name)' is used by another recognizer or deny list.") }
        return name
    }

    private static func category(_ r: NodeReader) throws(ConfigError) -> PIICategory {
        let name = try r.requiredString("category")
        guard let category = PIICategory(rawValue: name) ?? PIICategory(operatorDefined: name) else {
            throw r.fail("category", "must be a built-in category (\(PIICategory.allCases.map(\.rawValue).joined(separator: ", "))) or a name of your own: a-z, 0-9 and '_', starting with a letter, at most 40; got '\(name.prefix(64))'.")
        }
        return category
    }
}
