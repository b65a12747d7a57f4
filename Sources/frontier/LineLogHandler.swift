import Foundation
import FrontierConfig
import FrontierCore
import Logging

/// Writes each log line to standard error in swift-log's stream format
/// (`time level label: key=value ... [source] message`), rendering metadata
/// when a line is written. swift-log's `StreamLogHandler` re-renders its
/// metadata every time a key is set; the gateway sets a request id on every
/// request's logger, and most requests log nothing (measured: about 2.5 % of
/// the gateway's CPU under load went to that rendering).
///
/// `logging: {format: json}` writes one JSON object a line instead, the
/// metadata as fields (the request id, and with telemetry on the trace and
/// span ids), so a log pipeline joins each line to its request and trace.
struct LineLogHandler: LogHandler {
    let label: String
    var format: LoggingSettings.Format = .text
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, format: LoggingSettings.Format = .text, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.format = format
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if format == .json {
            FileHandle.standardError.write(Data(Self.jsonLine(event, label: label, metadata: merged)))
            return
        }
        let rendered = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        let text = "\(Self.timestamp()) \(event.level) \(label):\(rendered) [\(event.source)] \(event.message)\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func jsonLine(_ event: LogEvent, label: String, metadata: Logger.Metadata) -> [UInt8] {
        var line: JSONObject = [
            "time": .string(timestamp()), "level": .string(event.level.rawValue), "label": .string(label),
            "message": .string("\(event.message)"), "source": .string(event.source),
        ]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where line[key] == nil { line[key] = json(value) }
        var bytes = JSONValue.object(line).serialized()
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let fields): .object(JSONObject(fields.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) }))
        }
    }

    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [Int8](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
