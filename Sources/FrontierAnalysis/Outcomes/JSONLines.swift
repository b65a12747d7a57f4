/// Reads JSONL: one item per non-blank line, ids unique. Every bad line is
/// collected with its number; any bad line fails the whole read, naming them all.
enum JSONLines {
    static func read<Item>(
        _ bytes: [UInt8], path: String, what: String, empty: String,
        id: (Item) -> String, parse: (ArraySlice<UInt8>) throws(OutcomeDataError) -> Item
    ) throws(OutcomeDataError) -> [Item] {
        var items: [Item] = []
        var problems: [OutcomeDataError] = []
        var ids: Set<String> = []
        for (n, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { $0 > 32 }) else { continue }
            do throws(OutcomeDataError) {
                let item = try parse(line)
                guard ids.insert(id(item)).inserted else { throw OutcomeDataError(message: "\(what) id '\(id(item))' appears twice") }
                items.append(item)
            } catch {
                problems.append(OutcomeDataError(path: path, line: n + 1, message: error.message))
            }
        }
        if !problems.isEmpty { throw OutcomeDataError(path: path, problems: problems) }
        if items.isEmpty { throw OutcomeDataError(path: path, line: nil, message: empty) }
        return items
    }
}
