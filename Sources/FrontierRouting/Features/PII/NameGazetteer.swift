/// Person names and common words, for telling a name in context ("Patient:
/// Jane Doe") from ordinary words in the same place ("Patient: Chest pain").
/// The lists (NameGazetteer+Data.swift, from scripts/make-name-gazetteer.py)
/// are parsed on first use: only text with a name cue ever asks.
enum NameGazetteer {
    static let givenNames = Set(givenNameList.split(separator: " ").map(String.init))
    static let surnames = Set(surnameList.split(separator: " ").map(String.init))
    static let commonWords = Set(commonWordList.split(separator: " ").map(String.init))

    /// Whether capitalised words after a cue read as a person's name: one of them is a known
    /// given name or surname, or (for two or three words) no part of any is a common word.
    static func looksLikeName(_ words: [String]) -> Bool {
        guard !words.isEmpty else { return false }
        // One word alone ("Patient: Book"): a given name, or a surname that is not also a common word.
        if words.count == 1 { return givenNames.contains(words[0]) || (surnames.contains(words[0]) && !commonWords.contains(words[0])) }
        if words.contains(where: { givenNames.contains($0) || surnames.contains($0) }) { return true }
        return !words.contains { word in word.split(separator: "-").contains { commonWords.contains(String($0)) } }
    }
}
