public import FrontierCore
import Foundation

/// Everything of a request an upstream will read, as text, each piece with
/// the field it came from (`messages[3].tool_calls[0].function.arguments`):
/// every message's content parts, tool calls and their arguments, names,
/// tool definitions, `user`, `response_format`, URLs, and text data URLs
/// decoded. What cannot be read as text (images, audio, binary files) is
/// listed by field instead, for `privacy.unscannable`.
///
/// The PII decision reads this, not only the messages' text: the body goes
/// to the upstream whole.
public struct SentContent: Sendable {
    public struct Field: Sendable, Equatable {
        public var path: String
        public var text: String
        /// A message's own text: adjacent ones are scanned as one text, so a value split across two messages is found.
        public var isMessageText: Bool
    }

    public private(set) var fields: [Field] = []
    /// Fields whose content cannot be scanned, with what they hold ("image", "audio", "file").
    public private(set) var unscannable: [(path: String, kind: String)] = []

    /// Body fields that carry no text an upstream reads as content, or that the gateway removes.
    static let skippedKeys: Set<String> = [
        "model", "stream", "stream_options", "frontier", "temperature", "top_p", "n", "max_tokens", "max_completion_tokens",
        "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs", "seed", "logit_bias", "parallel_tool_calls",
        "store", "service_tier", "reasoning_effort", "modalities",
    ]

    public init(_ request: ChatRequest) {
        for (n, message) in request.messages.enumerated() {
            addMessage(message, at: "messages[\(n)]")
        }
        for (key, value) in request.body where key != "messages" && !Self.skippedKeys.contains(key) {
            walk(value, at: key)
        }
        // A native body goes to an upstream of its protocol as it is: all of it is read.
        for (key, value) in request.native.flatMap({ $0.isSent ? $0.body : nil }) ?? [:] where !Self.skippedKeys.contains(key) {
            walk(value, at: "native.\(key)")
        }
    }

    public init(text: String) {
        fields = [Field(path: "text", text: text, isMessageText: true)]
    }

    private mutating func addMessage(_ message: ChatMessage, at path: String) {
        switch message.content {
        case .string(let text):
            fields.append(Field(path: "\(path).content", text: text, isMessageText: true))
        case .array(let parts):
            for (k, part) in parts.enumerated() { addPart(part, at: "\(path).content[\(k)]") }
        default:
            break
        }
        for (key, value) in message.raw where key != "content" && key != "role" {
            walk(value, at: "\(path).\(key)")
        }
    }

    private mutating func addPart(_ part: JSONValue, at path: String) {
        switch part["type"]?.stringValue {
        case "text":
            if let text = part["text"]?.stringValue { fields.append(Field(path: "\(path).text", text: text, isMessageText: true)) }
        case "image_url":
            let url = part["image_url"]?["url"]?.stringValue ?? part["image_url"]?.stringValue ?? ""
            addURL(url, at: "\(path).image_url.url", binaryKind: "image")
            // The picture itself (fetched or inline) cannot be read as text.
            if !Self.isTextDataURL(url) { unscannable.append(("\(path).image_url", "image")) }
        case "input_audio":
            unscannable.append(("\(path).input_audio", "audio"))
        case "file":
            let file = part["file"]
            if let name = file?["filename"]?.stringValue { fields.append(Field(path: "\(path).file.filename", text: name, isMessageText: false)) }
            if let data = file?["file_data"]?.stringValue {
                if let text = Self.decodedText(dataURL: data) ?? Self.decodedBase64Text(data) {
                    fields.append(Field(path: "\(path).file.file_data", text: text, isMessageText: false))
                } else {
                    unscannable.append(("\(path).file.file_data", "file"))
                }
            } else if file?["file_id"] != nil {
                unscannable.append(("\(path).file.file_id", "file"))  // uploaded elsewhere: its content is not in the request
            }
        default:
            walk(part, at: path)
        }
    }

    private mutating func addURL(_ url: String, at path: String, binaryKind: String) {
        if url.hasPrefix("data:") {
            if let text = Self.decodedText(dataURL: url) { fields.append(Field(path: path, text: text, isMessageText: false)) }
        } else if !url.isEmpty {
            // A URL can carry a name or an id in its path or query, percent-encoded ("ssn=123-45-6789"):
            // the URL, and each query value after its name, as the server would read them.
            fields.append(Field(path: path, text: Self.decodedURL(url), isMessageText: false))
            if let components = URLComponents(string: url), let items = components.queryItems {
                for item in items { if let value = item.value { fields.append(Field(path: "\(path)?\(item.name)", text: "\(item.name): \(value.replacingOccurrences(of: "+", with: " "))", isMessageText: false)) } }
            }
        }
    }

    /// Every string inside `value`, each a field of its own.
    private mutating func walk(_ value: JSONValue, at path: String) {
        switch value {
        case .string(let text):
            // Tool-call arguments are JSON in a string: its values are what the model reads ("\n" a line break, not two characters).
            if path.hasSuffix(".arguments"), text.first == "{" || text.first == "[", let json = try? JSONParser.parse(text), json.stringValue == nil {
                walk(json, at: path)
            } else if text.hasPrefix("data:"), let decoded = Self.decodedText(dataURL: text) {
                fields.append(Field(path: path, text: decoded, isMessageText: false))
            } else if text.hasPrefix("data:") {
                unscannable.append((path, "file"))
            } else {
                fields.append(Field(path: path, text: text, isMessageText: false))
            }
        case .array(let items):
            for (n, item) in items.enumerated() { walk(item, at: "\(path)[\(n)]") }
        case .object(let members):
            // Anthropic's inline sources ({"type": "base64", "media_type", "data"}) read as the data URLs they are.
            if members["type"]?.stringValue == "base64", let data = members["data"]?.stringValue {
                walk(.string("data:\(members["media_type"]?.stringValue ?? "application/octet-stream");base64,\(data)"), at: "\(path).data")
                return
            }
            for (key, item) in members { walk(item, at: "\(path).\(key)") }
        case .int, .double, .bool, .null:
            break
        }
    }

    /// A URL with its query's `+` as spaces and its percent-escapes decoded, as the server would read it.
    static func decodedURL(_ url: String) -> String {
        guard url.contains("%") || url.contains("+") else { return url }
        var text = url
        if let query = text.firstIndex(of: "?") { text = String(text[..<query]) + String(text[query...]).replacingOccurrences(of: "+", with: " ") }
        return text.removingPercentEncoding ?? text
    }

    static func isTextDataURL(_ url: String) -> Bool {
        guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") else { return false }
        let header = url[url.index(url.startIndex, offsetBy: 5)..<comma].lowercased()
        return header.hasPrefix("text/") || header.hasPrefix("application/json") || header.hasPrefix("application/xml") || header.isEmpty || header.hasPrefix(";")
    }

    /// The text of a `data:` URL whose media type is text (base64 or percent-encoded); nil for binary ones.
    static func decodedText(dataURL url: String) -> String? {
        guard isTextDataURL(url), let comma = url.firstIndex(of: ",") else { return nil }
        let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
        let payload = String(url[url.index(after: comma)...])
        if header.hasSuffix(";base64") { return decodedBase64Text(payload) }
        return payload.removingPercentEncoding ?? payload
    }

    /// Base64 that decodes to valid UTF-8 text; nil for binary content.
    static func decodedBase64Text(_ payload: String) -> String? {
        guard let data = Data(base64Encoded: payload, options: .ignoreUnknownCharacters), let text = String(data: data, encoding: .utf8) else { return nil }
        // Binary that happens to be valid UTF-8 has control bytes; text has few.
        let controls = text.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" }.count
        return controls * 20 <= max(1, text.unicodeScalars.count) ? text : nil
    }

    /// The last name in a field's path, as a word: `messages[0].name` -> "name", `user` -> "user".
    static func key(of path: String) -> String? {
        guard let last = path.split(whereSeparator: { $0 == "." || $0 == "?" }).last else { return nil }
        let key = last.prefix { $0 != "[" }.replacingOccurrences(of: "_", with: " ")
        return key.isEmpty || key == "text" ? nil : key
    }

    /// All fields as one text to scan in one pass: message texts joined by one line break (a value
    /// split across adjacent messages stays one value), other fields after a blank line (a
    /// boundary no value crosses). `origins` gives each field's start in the joined text.
    public func joined() -> (text: String, origins: [(start: Int, field: Int)]) {
        guard fields.count != 1 else { return (fields[0].text, [(0, 0)]) }
        var text = ""
        var origins: [(start: Int, field: Int)] = []
        var previousWasMessage = false
        for (n, field) in fields.enumerated() {
            if !text.isEmpty { text += field.isMessageText && previousWasMessage ? "\n" : "\n\n" }
            origins.append((text.utf8.count, n))
            // A field's name is context for its value, as a label is in prose ("user: jane@example.com").
            if !field.isMessageText, let key = Self.key(of: field.path) { text += key + ": " }
            text += field.text
            previousWasMessage = field.isMessageText
        }
        return (text, origins)
    }
}

/// A finding and the field of the request it was in; never the value.
public struct FieldFinding: Sendable, Hashable {
    public var category: PIICategory
    public var field: String
}

extension PIIDetector {
    /// The findings in everything a request sends, each with its field, in one pass.
    public func scan(_ content: SentContent) -> (findings: [PIIFinding], fields: [FieldFinding]) {
        let (text, origins) = content.joined()
        let findings = findings(in: text)
        var fields: [FieldFinding] = []
        var seen = Set<FieldFinding>()
        for finding in findings {
            // The last field starting at or before the finding.
            var lo = 0, hi = origins.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if origins[mid].start <= finding.utf8Range.lowerBound { lo = mid } else { hi = mid - 1 }
            }
            let field = FieldFinding(category: finding.category, field: content.fields[origins[lo].field].path)
            if seen.insert(field).inserted { fields.append(field) }
        }
        return (findings, fields)
    }
}
