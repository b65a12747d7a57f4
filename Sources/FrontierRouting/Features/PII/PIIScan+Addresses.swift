/// Postal addresses in the shapes people write them: "1600 Pennsylvania
/// Avenue NW, Washington, DC 20500", "221B Baker Street, London NW1 6XE",
/// "8, rue de la Paix, 75002 Paris", "Calle Mayor 5", "Hauptstraße 12,
/// 10115 Berlin", "Kerkstraat 12, 1017 GC Amsterdam", "P.O. Box 1234".
extension PIIScan {
    /// Suffixes common enough that "12 Baker Street" alone is an address.
    static let streetSuffixes: Set<String> = [
        "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr", "court", "ct",
        "way", "place", "pl", "terrace", "ter", "parkway", "pkwy", "highway", "hwy", "circle", "cir", "square", "sq",
        "close", "crescent", "gardens", "grove", "mews", "row", "walk", "trail", "trl", "alley", "aly",
    ]
    /// The rest of the US Postal Service's suffixes (and British ones): an address only with a city,
    /// a postcode or an address cue beside it ("3 Key Points" is not one).
    static let extendedSuffixes: Set<String> = [
        "annex", "arcade", "bayou", "beach", "bend", "bluff", "bluffs", "bottom", "branch", "bridge", "brook", "brooks", "burg", "burgs",
        "bypass", "camp", "canyon", "cape", "causeway", "center", "centers", "cliff", "cliffs", "club", "common", "commons", "corner",
        "corners", "course", "courts", "cove", "coves", "creek", "crest", "crossing", "crossroad", "curve", "dale", "dam", "divide",
        "drives", "estate", "estates", "expressway", "extension", "falls", "ferry", "field", "fields", "flat", "flats", "ford", "fords",
        "forest", "forge", "forges", "fork", "forks", "fort", "freeway", "garden", "gateway", "glen", "glens", "green", "greens", "groves",
        "harbor", "harbors", "haven", "heights", "hill", "hills", "hollow", "inlet", "island", "islands", "isle", "junction", "junctions",
        "key", "keys", "knoll", "knolls", "lake", "lakes", "land", "landing", "light", "lights", "loaf", "lock", "locks", "lodge", "loop",
        "mall", "manor", "manors", "meadow", "meadows", "mill", "mills", "mission", "motorway", "mount", "mountain", "mountains", "neck",
        "orchard", "oval", "overpass", "park", "parks", "parkways", "pass", "passage", "path", "pike", "pine", "pines", "plain", "plains",
        "plaza", "point", "points", "port", "ports", "prairie", "radial", "ramp", "ranch", "rapid", "rapids", "rest", "ridge", "ridges",
        "river", "roads", "route", "run", "shoal", "shoals", "shore", "shores", "skyway", "spring", "springs", "spur", "spurs", "squares",
        "station", "stravenue", "stream", "streets", "summit", "throughway", "trace", "track", "trafficway", "trailer", "tunnel", "turnpike",
        "underpass", "union", "unions", "valley", "valleys", "viaduct", "view", "views", "village", "villages", "ville", "vista", "wall",
        "ways", "well", "wells", "hts", "jct", "mt", "mtn", "pt", "rdg", "spg", "sta", "vlg", "xing",
        // Australia Post's street types beyond the American ones.
        "esplanade", "parade", "artery", "deviation", "laneway", "riverway", "link", "slope", "crossway", "highroad", "break", "edge",
        "circus", "vale", "range", "brae", "gate", "ramble", "rise", "retreat", "outlook", "promenade", "quay", "strand", "wynd",
    ]
    /// Words that open a street name in Romance languages: "rue de la Paix", "Calle Mayor 5", "Via Roma 10".
    static let streetTypes: Set<String> = [
        "rue", "avenue", "boulevard", "chemin", "allée", "allee", "impasse", "place", "quai", "route", "calle", "camino", "avenida",
        "paseo", "plaza", "carrer", "ronda", "travesía", "travesia", "via", "viale", "piazza", "vicolo", "corso", "largo", "rua", "praça",
        "callejón", "callejon", "pasaje", "glorieta", "urbanización", "urbanizacion", "alameda", "carretera", "cuesta", "rambla", "vía",
        "contrada", "strada", "borgo", "lungomare", "avinguda", "passeig", "incrocio", "rotonda", "traversa", "piazzale", "galleria",
        "vicoletto", "acceso", "sendero", "bulevar", "rúa", "cañada", "pasadizo", "vial", "c/", "stretto", "canale", "calle", "travessera",
    ]
    /// Endings of one-word street names in German, Dutch and Nordic addresses ("Hauptstraße", "Kerkstraat").
    static let compoundSuffixes: [[UInt8]] = [
        "straße", "strasse", "str.", "str", "weg", "platz", "gasse", "allee", "ring", "damm", "ufer", "chaussee", "steig", "pfad", "straat",
        "laan", "plein", "pad", "gracht", "kade", "singel", "dijk", "hof", "dreef", "vej", "gade", "gatan", "vägen", "veien",
        "boulevard", "markt", "baan", "steeg", "haven", "kanaal", "straatweg", "park", "berg", "feld", "tal", "grund", "stieg",
    ].map { Array($0.utf8) }
    /// Words whose number is not a house number.
    static let countedNouns: Set<String> = [
        "chapter", "section", "page", "slide", "figure", "fig", "table", "step", "level", "part", "volume", "vol", "grade", "room", "item",
        "question", "q", "lesson", "unit", "week", "day", "year", "round", "episode", "season", "exhibit", "appendix", "article", "rule", "no", "number",
    ]
    static let addressCue = Keywords([
        "address", "lives at", "live at", "living at", "reside", "ship to", "deliver to", "located at", "mail to", "send to", "home is",
        "residence", "domicile", "adresse", "anschrift", "wohnhaft", "dirección", "direccion", "indirizzo", "h.no", "house no", "flat no",
    ])

    static let streetTypeHashes = WordSet(streetTypes)
    static let unitWordHashes = WordSet(unitWords)
    static let countedNounHashes = WordSet(countedNouns)
    static let streetSuffixHashes = WordSet(streetSuffixes)
    static let extendedSuffixHashes = WordSet(extendedSuffixes)
    /// Last bytes of the compound endings, to skip most words with one lookup.
    static let compoundLastBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for suffix in compoundSuffixes { table[Int(suffix.last ?? 0)] = true }
        return table
    }()

    mutating func scanAddresses(_ tokens: [Token]) {
        var n = 0
        while n < tokens.count {
            defer { n += 1 }
            let t = tokens[n]
            // "P.O. Box 1234"
            if lower[t.range.lowerBound] == UInt8(ascii: "p"), t.range.count <= 4, word(t) == "po", n + 2 < tokens.count, word(tokens[n + 1]) == "box",
               isNumber(tokens[n + 2], digits: 1...6)
            {
                add(.postalAddress, t.range.lowerBound..<tokens[n + 2].range.upperBound)
                continue
            }
            if isHouseNumber(t) {
                // "Chapter 4 Main Street Economics", "Slide 2 Key Points": a number of something else.
                let counted = n > 0 && Self.countedNounHashes.contains(wordHashes[n - 1])
                if !counted, let end = numberFirstAddress(tokens, at: n) { add(.postalAddress, t.range.lowerBound..<end) }
                continue
            }
            if let end = nameFirstAddress(tokens, at: n) {
                add(.postalAddress, t.range.lowerBound..<end)
                continue
            }
            // "Flat 21m\nWright Turnpike ...": a unit first, then the street.
            if Self.unitWordHashes.contains(wordHashes[n]), n + 2 < tokens.count, bytes[tokens[n + 1].range].contains(where: ASCII.isDigit) {
                // "Flat 14, 77/501 Young Edge", "Suite 083 22 Jordan Roads": the unit's number, then the house's.
                let house = n + 3 < tokens.count && isHouseNumber(tokens[n + 2]) ? n + 2 : n + 1
                if let end = numberFirstAddress(tokens, at: house, unitFirst: true) {
                    add(.postalAddress, t.range.lowerBound..<end)
                    continue
                }
            }
            // "PSC 9626, Box 6129, APO AP 65077", "USNV Santana, FPO AP 58910": American military mail.
            if t.range.count == 3, n + 2 < tokens.count, lower[t.range.lowerBound + 1] == UInt8(ascii: "p"), lower[t.range.lowerBound + 2] == UInt8(ascii: "o"),
               ["apo", "fpo", "dpo"].contains(word(t)), ["aa", "ae", "ap"].contains(word(tokens[n + 1])),
               isNumber(tokens[n + 2], digits: 5...5)
            {
                add(.postalAddress, t.range.lowerBound..<tokens[n + 2].range.upperBound)
                continue
            }
            // A whole British or Canadian postcode after a town ("Josephineville SM1R 7UN"): it locates a handful of homes.
            // (A token never starts with a comma, so an outward half starts with a capital as written: checked first, cheaply.)
            if n >= 1, n + 1 < tokens.count, ASCII.isUpper(bytes[t.range.lowerBound]), isStreetNameWord(tokens[n - 1]),
               isPostcodeHalf(bytes[t.range].filter { $0 != UInt8(ascii: ",") }, outward: true),
               isPostcodeHalf(bytes[tokens[n + 1].range].filter { $0 != UInt8(ascii: ",") }, outward: false)
            {
                add(.postalAddress, tokens[n - 1].range.lowerBound..<tokens[n + 1].range.upperBound)
            }
        }
    }

    static let unitWords: Set<String> = ["flat", "studio", "apartment", "apt", "unit", "suite"]

    /// "1600 Pennsylvania Avenue", "221B Baker Street", "42 W 5th St", "8, rue de la Paix".
    private func numberFirstAddress(_ tokens: [Token], at n: Int, unitFirst: Bool = false) -> Int? {
        let cue = unitFirst || context(before: tokens[n].range.lowerBound, window: 40, Self.addressCue)
        var m = n + 1
        // French: "8, rue de la Paix" / "12 avenue Foch".
        if m < tokens.count, Self.streetTypeHashes.contains(wordHashes[m]), m + 1 < tokens.count {
            var end = tokens[m].range.upperBound
            var k = m + 1
            while k < tokens.count, k - m <= 5, isStreetNameWord(tokens[k]) || isParticle(tokens[k]) {
                end = tokens[k].range.upperBound
                if bytes[end - 1] == UInt8(ascii: ",") { break }
                k += 1
            }
            guard end > tokens[m].range.upperBound, ASCII.isUpper(bytes[tokens[k - 1].range.lowerBound]) || k - 1 == m else { return nil }
            return addressTail(tokens, after: k - 1) ?? (cue || word(tokens[m]) == "rue" ? end : nil)
        }
        var names = 0
        while m < tokens.count, names <= 4 {
            let candidate = tokens[m]
            let suffix = wordHashes[m]
            let capitalised = ASCII.isUpper(bytes[candidate.range.lowerBound])
            if names >= 1, capitalised, Self.streetSuffixHashes.contains(suffix) || Self.extendedSuffixHashes.contains(suffix) {
                let end = candidate.range.upperBound
                let unit = unitEnd(tokens, after: m)
                if let tail = addressTail(tokens, after: unit?.last ?? m) { return tail }
                if Self.streetSuffixHashes.contains(suffix) || cue { return unit?.end ?? end }
                return nil
            }
            guard isStreetNameWord(candidate) else { return nil }
            // "9 Benton Artery, West Sergio, VIC, 2686": a street type no list has, but a town and a postcode follow.
            // (Not four digits next: "1912 B. Abraham Lincoln, Republican Party, 1860" is a list of years.)
            if names >= 1, endsField(tokens, at: m) {
                let last = unitEnd(tokens, after: m)?.last ?? m
                if last + 1 < tokens.count, !isNumber(tokens[last + 1], digits: 4...4), let tail = addressTail(tokens, after: last) { return tail }
            }
            names += 1
            m += 1
        }
        return nil
    }

    /// Whether a comma or a line break follows `tokens[m]`: where a street's name ends in an address.
    private func endsField(_ tokens: [Token], at m: Int) -> Bool {
        // Tokens end before their edge punctuation, so the comma is in the gap to the next one.
        let next = m + 1 < tokens.count ? tokens[m + 1].range.lowerBound : bytes.count
        return bytes[tokens[m].range.upperBound..<next].contains { $0 == UInt8(ascii: ",") || $0 == 0x0A }
    }

    /// "Calle Mayor 5", "Via Roma, 10", "Hauptstraße 12", "Anatol-Bauer-Allee 6, 60837 Rastatt".
    private func nameFirstAddress(_ tokens: [Token], at n: Int) -> Int? {
        let t = tokens[n]
        let capitalised = ASCII.isUpper(bytes[t.range.lowerBound]) || bytes[t.range.lowerBound] >= 0x80
        if Self.streetTypeHashes.contains(wordHashes[n]) {
            var k = n + 1
            while k < tokens.count, k - n <= 5, !isHouseNumber(tokens[k]) {
                guard isStreetNameWord(tokens[k]) || isParticle(tokens[k]) else { return nil }
                k += 1
            }
            guard k < tokens.count, k > n + 1, isHouseNumber(tokens[k]) else { return nil }
            // "rue Sébastien Cohen, 91937 Sainte Théophile": written in lower case, the street type
            // counts only with the postcode and town after it.
            guard capitalised else { return endsField(tokens, at: k - 1) ? addressTail(tokens, after: k - 1) : nil }
            return addressTail(tokens, after: k) ?? tokens[k].range.upperBound
        }
        guard capitalised else { return nil }
        // A one-word street with a German or Dutch ending, then its house number.
        let lowered = lower[t.range]
        guard t.range.count >= 5, n + 1 < tokens.count, Self.compoundLastBytes[Int(lowered.last ?? 0)], isHouseNumber(tokens[n + 1]),
              Self.compoundSuffixes.contains(where: { lowered.count > $0.count && lowered.suffix($0.count).elementsEqual($0) })
        else { return nil }
        return addressTail(tokens, after: n + 1) ?? tokens[n + 1].range.upperBound
    }

    /// "Apt. 837", "Suite 200", "Unit 4B", "#12" after a street: the tokens it spans.
    private func unitEnd(_ tokens: [Token], after m: Int) -> (end: Int, last: Int)? {
        guard m + 2 < tokens.count else { return nil }
        let w = word(tokens[m + 1])
        guard ["apt", "apartment", "suite", "ste", "unit", "flat", "fl", "floor", "room", "rm", "bldg", "building"].contains(w) else { return nil }
        guard bytes[tokens[m + 2].range].contains(where: ASCII.isDigit) else { return nil }
        return (tokens[m + 2].range.upperBound, m + 2)
    }

    /// The end of what follows a street: ", Springfield, IL 62704", "London NW1 6XE", "Toronto, ON M5V 2T6",
    /// "10115 Berlin", "1017 GC Amsterdam", "Bhusawal 837783"; nil when nothing of the kind follows.
    private func addressTail(_ tokens: [Token], after m: Int) -> Int? {
        var k = m + 1
        var words = 0
        while k < tokens.count, words <= 4 {
            let t = bytes[tokens[k].range].filter { $0 != UInt8(ascii: ",") }
            // A ZIP (5, or 5+4) or an Indian PIN (6) after the city; a German/French/Spanish postcode before it.
            if t.count >= 5, t.count <= 6 || (t.count == 10 && t[5] == UInt8(ascii: "-")), t.prefix(5).allSatisfy(ASCII.isDigit) {
                if words >= 1 { return tokens[k].range.upperBound }
                if k + 1 < tokens.count, isStreetNameWord(tokens[k + 1]) { return tokens[k + 1].range.upperBound }
                return nil
            }
            // Dutch: "1017 GC" then the city; Swiss, Austrian, Danish: four digits then the city.
            if t.count == 4, t.allSatisfy(ASCII.isDigit), k + 1 < tokens.count {
                let next = bytes[tokens[k + 1].range]
                if next.count == 2, next.allSatisfy(ASCII.isUpper) { return (k + 2 < tokens.count && isStreetNameWord(tokens[k + 2])) ? tokens[k + 2].range.upperBound : tokens[k + 1].range.upperBound }
                if words == 0, isStreetNameWord(tokens[k + 1]) { return tokens[k + 1].range.upperBound }
            }
            if t.count == 6, t.prefix(4).allSatisfy(ASCII.isDigit), t.suffix(2).allSatisfy(ASCII.isUpper) { return tokens[k].range.upperBound }
            // Canadian, written without its space: "Jennifershire, BC J8C6B7".
            if words >= 1, t.count == 6, (0..<6).allSatisfy({ $0 % 2 == 0 ? ASCII.isUpper(t[$0]) : ASCII.isDigit(t[$0]) }) { return tokens[k].range.upperBound }
            // Australian: "West Sergio, VIC, 2686", a state and four digits after the town.
            if t.count == 4, t.allSatisfy(ASCII.isDigit), words >= 2, isStateAbbreviation(tokens[k - 1]) { return tokens[k].range.upperBound }
            // British and Canadian postcodes: "NW1 6XE", "SW1A 2AA", "M5V 2T6".
            if words >= 1, k + 1 < tokens.count, isPostcodeHalf(t, outward: true), isPostcodeHalf(bytes[tokens[k + 1].range].filter { $0 != UInt8(ascii: ",") }, outward: false) {
                return tokens[k + 1].range.upperBound
            }
            guard let first = t.first, ASCII.isUpper(first) || first >= 0x80 else { return nil }
            words += 1
            k += 1
        }
        return nil
    }

    /// "VIC", "NSW," "QLD": two or three capitals, as Australian (and American) states are written.
    private func isStateAbbreviation(_ token: Token) -> Bool {
        let t = bytes[token.range].filter { $0 != UInt8(ascii: ",") }
        return (2...3).contains(t.count) && t.allSatisfy(ASCII.isUpper)
    }

    /// The halves of a UK ("SW1A 2AA") or Canadian ("M5V 2T6") postcode.
    private func isPostcodeHalf(_ t: [UInt8], outward: Bool) -> Bool {
        guard t.allSatisfy({ ASCII.isUpper($0) || ASCII.isDigit($0) }), let first = t.first else { return false }
        if outward { return (2...4).contains(t.count) && ASCII.isUpper(first) && t.contains(where: ASCII.isDigit) }
        return t.count == 3 && ((ASCII.isDigit(t[0]) && ASCII.isUpper(t[1]) && ASCII.isUpper(t[2])) || (ASCII.isDigit(t[0]) && ASCII.isUpper(t[1]) && ASCII.isDigit(t[2])))
    }

    /// "12", "221B", "5-9" (a range of numbers, as German addresses write them).
    func isHouseNumber(_ token: Token) -> Bool {
        var t = bytes[token.range]
        if t.last == UInt8(ascii: ",") { t = t.dropLast() }
        guard let first = t.first, ASCII.isDigit(first), t.count <= 7 else { return false }
        let digits = t.prefix(while: ASCII.isDigit)
        guard digits.count <= 6 else { return false }
        if digits.count == t.count { return true }
        let rest = t.dropFirst(digits.count)
        if rest.count == 1 { return ASCII.isUpper(rest.first ?? 0) || ASCII.isLowerLetter(rest.first ?? 0) }
        // "5-9", "6/2": a range, or a number and its stair or door.
        return (rest.first == UInt8(ascii: "-") || rest.first == UInt8(ascii: "/")) && rest.count <= 4 && rest.dropFirst().allSatisfy(ASCII.isDigit) && rest.count > 1
    }

    func isStreetNameWord(_ token: Token) -> Bool {
        var t = bytes[token.range]
        if t.last == UInt8(ascii: ",") { t = t.dropLast() }
        guard let first = t.first else { return false }
        if ASCII.isUpper(first) || first >= 0x80 {
            return t.dropFirst().allSatisfy { ASCII.isLetter($0) || $0 >= 0x80 || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "-") }
        }
        // Ordinals: 5th, 42nd
        let digits = t.prefix(while: ASCII.isDigit)
        return !digits.isEmpty && ["st", "nd", "rd", "th"].contains(String(decoding: t.dropFirst(digits.count), as: UTF8.self))
    }

    /// Small words inside street names: "de la", "del", "di", "van der".
    private func isParticle(_ token: Token) -> Bool {
        ["de", "la", "le", "les", "du", "des", "del", "della", "di", "da", "do", "dos", "das", "van", "der", "den", "von", "y", "e", "l'", "d'"]
            .contains(word(token))
    }
}
