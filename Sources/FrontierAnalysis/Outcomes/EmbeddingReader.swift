public import FrontierCore

/// Reads prompt embeddings for `frontier fit --embeddings`: JSONL, one `{"id": ..., "embedding": [...]}` per
/// prompt (`scripts/embedding-signal-study.py --write-embeddings` writes it with the local embedder). Every
/// vector must have the same dimension and finite values; each is scaled to unit length.
public struct EmbeddingReader: Sendable {
    public init() {}

    public func read(path: String) throws(OutcomeDataError) -> [String: [Float]] {
        guard let bytes = FileBytes.read(path) else { throw OutcomeDataError(path: path, line: nil, message: "cannot read the file") }
        var dimension: Int?
        let items: [(id: String, vector: [Float])] = try JSONLines.read(
            bytes, path: path, what: "prompt", empty: "no embeddings in the file", id: \.id
        ) { line throws(OutcomeDataError) in
            let json: JSONValue
            do { json = try JSONParser.parse(line) } catch { throw OutcomeDataError(message: "not JSON: \(error)") }
            guard let id = json["id"]?.stringValue, !id.isEmpty else { throw OutcomeDataError(message: "field 'id' must be a non-empty string") }
            guard let values = json["embedding"]?.arrayValue, !values.isEmpty else {
                throw OutcomeDataError(message: "prompt '\(id)': field 'embedding' must be a non-empty array of numbers")
            }
            var vector: [Float] = []
            vector.reserveCapacity(values.count)
            for value in values {
                guard let x = value.doubleValue, x.isFinite, abs(x) < 1e6 else {
                    throw OutcomeDataError(message: "prompt '\(id)': field 'embedding' must hold finite numbers")
                }
                vector.append(Float(x))
            }
            if let dimension, dimension != vector.count {
                throw OutcomeDataError(message: "prompt '\(id)': \(vector.count) dimensions, the file's first vector has \(dimension)")
            }
            dimension = vector.count
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { throw OutcomeDataError(message: "prompt '\(id)': a zero vector") }
            return (id, vector.map { $0 / norm })
        }
        return Dictionary(items.map { ($0.id, $0.vector) }, uniquingKeysWith: { first, _ in first })
    }
}
