import Crypto
import Foundation
public import FrontierCore

/// The router file on disk: JSON, with the large number arrays as base64 of
/// little-endian 32-bit floats (or 64-bit hashes), which keeps a fitted
/// MMLU-Pro router at a few megabytes and loads it in well under a second.
extension RouterFile {
    public static func load(path: String) throws(RouterFileError) -> RouterFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RouterFileError(path: path, message: "cannot read the file (run `frontier fit DATA --out \(path)` to make one)")
        }
        return try decode([UInt8](data), path: path)
    }

    /// A router file from its bytes; `path` only names it in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(RouterFileError) -> RouterFile {
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch {
            throw RouterFileError(path: path, message: "not valid JSON: \(error.message)")
        }
        do {
            var file = try RouterFile(json: json)
            file.digest = digest(of: bytes)
            return file
        } catch {
            throw RouterFileError(path: path, message: error.message)
        }
    }

    /// A router version from a file's bytes (see ``digest``).
    public static func digest(of bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).prefix(8).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    public func save(path: String) throws(RouterFileError) {
        let bytes = json.serialized()
        do { try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw RouterFileError(path: path, message: "cannot write: \(error.localizedDescription)")
        }
    }

    public var json: JSONValue {
        let parts = classifier.parts
        var object: JSONObject = [
            "format": .string(Self.format), "version": .int(Int64(Self.version)), "fitted_at": .string(fittedAt),
            "source": [
                "data": .string(source.data), "train_prompts": .int(Int64(source.trainPrompts)),
                "test_prompts": .int(Int64(source.testPrompts)), "test_percent": .int(Int64(source.testPercent)),
                "seed": .string(String(source.seed)),
            ],
            "classifier": [
                "domains": .array(classifier.domains.map(JSONValue.string)),
                "log_priors": .array(parts.logPriors.map { .double(Double($0)) }),
                "features": .string(Base64Numbers.encode(parts.features)),
                "weights": .string(Base64Numbers.encode(parts.table)),
            ],
            "models": .array(models.map { model in
                var entry: JSONObject = [
                    "id": .string(model.id), "quality": .double(model.quality),
                    "quality_by_domain": .sortedObject(model.qualityByDomain.mapValues(JSONValue.double)),
                    "cost_usd": .double(model.costUSD), "cost_by_domain": .sortedObject(model.costByDomain.mapValues(JSONValue.double)),
                    "prompts": .int(Int64(model.prompts)),
                ]
                if let price = model.price {
                    entry["price"] = ["input_per_mtok": .double(price.inputPerMTok), "output_per_mtok": .double(price.outputPerMTok)]
                }
                return .object(entry)
            }),
            "tradeoff": .array(tradeoff.map { ["lambda": .double($0.lambda), "cost_usd": .double($0.costUSD), "quality": .double($0.quality)] }),
        ]
        if let plan = signalPlan {
            object["signal_plan"] = .array(plan.regions.map { region in
                [
                    "from_lambda": .double(region.fromLambda), "otherwise": .string(region.otherwise.rawValue),
                    "by_domain": .sortedObject(region.byDomain.mapValues { .string($0.rawValue) }),
                ]
            })
        }
        if let n = network {
            object["network"] = [
                "models": .array(n.models.map(JSONValue.string)), "domains": .array(n.domains.map(JSONValue.string)),
                "embedder": .string(n.embedder), "dimension": .int(Int64(n.dimension)), "hidden": .int(Int64(n.hidden)),
                "activation": .string(n.activation.rawValue), "input_weights": .string(Base64Numbers.encode(n.inputWeights)),
                "hidden_bias": .string(Base64Numbers.encode(n.hiddenBias)), "output_weights": .string(Base64Numbers.encode(n.outputWeights)),
                "output_bias": .string(Base64Numbers.encode(n.outputBias)), "prior": .string(Base64Numbers.encode(n.prior)),
                "blend": .double(Double(n.blend)),
            ]
        }
        if let p = predictor {
            object["predictor"] = [
                "models": .array(p.models.map(JSONValue.string)), "domains": .array(p.domains.map(JSONValue.string)),
                "buckets": .int(Int64(p.buckets)), "text_weights": .string(Base64Numbers.encode(p.textWeights)),
                "domain_weights": .string(Base64Numbers.encode(p.domainWeights)), "bias": .string(Base64Numbers.encode(p.bias)),
                "scale": .string(Base64Numbers.encode(p.scale)), "shift": .string(Base64Numbers.encode(p.shift)),
                "prior": .string(Base64Numbers.encode(p.prior)), "blend": .double(Double(p.blend)), "difficulty": .bool(p.difficulty),
            ]
        }
        if let n = neighbours {
            object["neighbours"] = [
                "models": .array(n.models.map(JSONValue.string)), "domains": .array(n.domains.map(JSONValue.string)),
                "embedder": .string(n.embedder), "dimension": .int(Int64(n.dimension)),
                "embeddings": .string(Base64Numbers.encode(n.embeddings)), "scores": .string(Base64Numbers.encode(n.scores)),
                "prior": .string(Base64Numbers.encode(n.prior)), "k": .int(Int64(n.k)), "shrink": .double(Double(n.shrink)),
                "temperature": .double(Double(n.temperature)),
            ]
        }
        if let o = outputLengths {
            object["output_lengths"] = [
                "models": .array(o.models.map(JSONValue.string)), "domains": .array(o.domains.map(JSONValue.string)),
                "intercepts": .array(o.intercepts.map(JSONValue.double)), "slopes": .array(o.slopes.map(JSONValue.double)),
                "residual_variance": .array(o.residualVariance.map(JSONValue.double)),
            ]
        }
        return .object(object)
    }

    init(json: JSONValue) throws(FieldError) {
        let r = FieldReader(json)
        guard try r.string("format") == Self.format else { throw FieldError("field 'format' must be '\(Self.format)': is this a router file?") }
        let version = try r.int("version")
        guard version == Self.version else {
            throw FieldError("version \(version) is not supported (this frontier reads version \(Self.version)); fit it again with this frontier")
        }
        let source = try r.object("source")
        guard let seed = UInt64(try source.string("seed")) else { throw FieldError("field 'source.seed' must be an unsigned integer") }
        let c = try r.object("classifier")
        let domains = try c.strings("domains")
        let features: [UInt64] = try c.numbers("features")
        let table: [Float] = try c.numbers("weights")
        let priors = try c.doubles("log_priors").map(Float.init)
        guard table.count == features.count * domains.count, priors.count == domains.count else {
            throw FieldError("field 'classifier' is inconsistent: \(features.count) features x \(domains.count) domains, \(table.count) weights")
        }
        var predictor: QualityPredictor?
        if let p = try r.optionalObject("predictor") {
            let predicted = QualityPredictor(
                models: try p.strings("models"), domains: try p.strings("domains"), buckets: try p.int("buckets"),
                textWeights: try p.numbers("text_weights"), domainWeights: try p.numbers("domain_weights"),
                bias: try p.numbers("bias"), scale: try p.numbers("scale"), shift: try p.numbers("shift"),
                prior: try p.numbers("prior"), blend: Float(try p.double("blend")), difficulty: try p.optionalBool("difficulty") ?? false)
            guard predicted.isConsistent else { throw FieldError("field 'predictor' is inconsistent (array sizes or values)") }
            predictor = predicted
        }
        var outputLengths: OutputLengthModel?
        if let o = try r.optionalObject("output_lengths") {
            let model = OutputLengthModel(
                models: try o.strings("models"), domains: try o.strings("domains"), intercepts: try o.doubles("intercepts"),
                slopes: try o.doubles("slopes"), residualVariance: try o.doubles("residual_variance"))
            guard model.isConsistent else { throw FieldError("field 'output_lengths' is inconsistent (array sizes or values)") }
            outputLengths = model
        }
        var neighbours: NeighbourPredictor?
        if let n = try r.optionalObject("neighbours") {
            let predictor = NeighbourPredictor(
                models: try n.strings("models"), domains: try n.strings("domains"), embedder: try n.string("embedder"),
                dimension: try n.int("dimension"), embeddings: try n.numbers("embeddings"), scores: try n.numbers("scores"),
                prior: try n.numbers("prior"), k: try n.int("k"), shrink: Float(try n.double("shrink")), temperature: Float(try n.double("temperature")))
            guard predictor.isConsistent else { throw FieldError("field 'neighbours' is inconsistent (array sizes or values)") }
            neighbours = predictor
        }
        var network: EmbeddingNetwork?
        if let n = try r.optionalObject("network") {
            let name = try n.string("activation")
            guard let activation = EmbeddingNetwork.Activation(rawValue: name) else {
                throw FieldError("field 'network.activation' is '\(name)'; it is one of \(EmbeddingNetwork.Activation.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let loaded = EmbeddingNetwork(
                models: try n.strings("models"), domains: try n.strings("domains"), embedder: try n.string("embedder"),
                dimension: try n.int("dimension"), hidden: try n.int("hidden"), activation: activation, inputWeights: try n.numbers("input_weights"),
                hiddenBias: try n.numbers("hidden_bias"), outputWeights: try n.numbers("output_weights"), outputBias: try n.numbers("output_bias"),
                prior: try n.numbers("prior"), blend: Float(try n.double("blend")))
            guard loaded.isConsistent else { throw FieldError("field 'network' is inconsistent (array sizes or values)") }
            network = loaded
        }
        var signalPlan: SignalPlan?
        if r.has("signal_plan") {
            var regions: [SignalPlan.Region] = []
            for (n, value) in try r.array("signal_plan").enumerated() {
                let region = FieldReader(value, path: "signal_plan[\(n)]")
                func signal(_ name: String, _ field: String) throws(FieldError) -> SignalPlan.Signal {
                    guard let signal = SignalPlan.Signal(rawValue: name) else {
                        throw FieldError("field '\(field)' is '\(name)'; a signal is one of \(SignalPlan.Signal.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return signal
                }
                let from = try region.double("from_lambda")
                guard from.isFinite, from >= 0 else { throw FieldError("field 'signal_plan[\(n)].from_lambda' must be finite and not negative") }
                var byDomain: [String: SignalPlan.Signal] = [:]
                for (domain, name) in try region.stringMap("by_domain") { byDomain[domain] = try signal(name, "signal_plan[\(n)].by_domain.\(domain)") }
                regions.append(.init(fromLambda: from, byDomain: byDomain, otherwise: try signal(try region.string("otherwise"), "signal_plan[\(n)].otherwise")))
            }
            guard !regions.isEmpty else { throw FieldError("field 'signal_plan' lists no region; leave it out to read every signal the file has") }
            signalPlan = SignalPlan(regions: regions)
        }
        var models: [FittedModel] = []
        for (n, value) in try r.array("models").enumerated() {
            let m = FieldReader(value, path: "models[\(n)]")
            var price: Price?
            if let p = try m.optionalObject("price") {
                let input = try p.double("input_per_mtok"), output = try p.double("output_per_mtok")
                guard input.isFinite, output.isFinite, input >= 0, output >= 0 else {
                    throw FieldError("field 'models[\(n)].price' must hold finite, non-negative prices")
                }
                price = Price(inputPerMTok: input, outputPerMTok: output)
            }
            let model = FittedModel(
                id: try m.string("id"), quality: try m.double("quality"), qualityByDomain: try m.doubleMap("quality_by_domain"),
                costUSD: try m.double("cost_usd"), costByDomain: try m.doubleMap("cost_by_domain"), prompts: try m.int("prompts"),
                price: price)
            // The router ranks models by these: a score outside [0, 1] or a negative cost would win every request.
            guard ([model.quality] + model.qualityByDomain.values).allSatisfy({ (0...1).contains($0) }) else {
                throw FieldError("field 'models[\(n)]' has a quality outside [0, 1]")
            }
            guard ([model.costUSD] + model.costByDomain.values).allSatisfy({ $0.isFinite && $0 >= 0 }), model.prompts >= 0 else {
                throw FieldError("field 'models[\(n)]' has a negative or infinite cost or prompt count")
            }
            models.append(model)
        }
        var tradeoff: [TradeoffPoint] = []
        for (n, value) in try r.array("tradeoff").enumerated() {
            let t = FieldReader(value, path: "tradeoff[\(n)]")
            tradeoff.append(TradeoffPoint(lambda: try t.double("lambda"), costUSD: try t.double("cost_usd"), quality: try t.double("quality")))
        }
        self.init(
            fittedAt: try r.string("fitted_at"),
            source: Source(
                data: try source.string("data"), trainPrompts: try source.int("train_prompts"), testPrompts: try source.int("test_prompts"),
                testPercent: try source.int("test_percent"), seed: seed),
            classifier: DomainClassifier(domains: domains, features: features, table: table, logPriors: priors),
            models: models, predictor: predictor, outputLengths: outputLengths, neighbours: neighbours, network: network, signalPlan: signalPlan, tradeoff: tradeoff)
    }
}

/// A router file that cannot be used, and why.
public struct RouterFileError: Error, CustomStringConvertible {
    public var path: String
    public var message: String

    public var description: String { "router file \(path): \(message)" }
}

struct FieldError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Typed access to a JSON object's fields, naming the field in every error.
struct FieldReader {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func field(_ key: String) throws(FieldError) -> JSONValue {
        guard let v = value[key], !v.isNull else { throw FieldError("field '\(name(key))' is missing") }
        return v
    }

    func string(_ key: String) throws(FieldError) -> String {
        guard let s = try field(key).stringValue else { throw FieldError("field '\(name(key))' must be a string") }
        return s
    }

    func int(_ key: String) throws(FieldError) -> Int {
        guard let i = try field(key).intValue else { throw FieldError("field '\(name(key))' must be an integer") }
        return i
    }

    func double(_ key: String) throws(FieldError) -> Double {
        guard let d = try field(key).doubleValue else { throw FieldError("field '\(name(key))' must be a number") }
        return d
    }

    func array(_ key: String) throws(FieldError) -> [JSONValue] {
        guard let a = try field(key).arrayValue else { throw FieldError("field '\(name(key))' must be an array") }
        return a
    }

    func object(_ key: String) throws(FieldError) -> FieldReader {
        let v = try field(key)
        guard v.objectValue != nil else { throw FieldError("field '\(name(key))' must be an object") }
        return FieldReader(v, path: name(key))
    }

    func optionalObject(_ key: String) throws(FieldError) -> FieldReader? {
        guard let v = value[key], !v.isNull else { return nil }
        return try object(key)
    }

    func strings(_ key: String) throws(FieldError) -> [String] {
        var out: [String] = []
        for v in try array(key) {
            guard let s = v.stringValue else { throw FieldError("field '\(name(key))' must be an array of strings") }
            out.append(s)
        }
        return out
    }

    func doubles(_ key: String) throws(FieldError) -> [Double] {
        var out: [Double] = []
        for v in try array(key) {
            guard let d = v.doubleValue else { throw FieldError("field '\(name(key))' must be an array of numbers") }
            out.append(d)
        }
        return out
    }

    func optionalBool(_ key: String) throws(FieldError) -> Bool? {
        guard let v = value[key], !v.isNull else { return nil }
        guard let b = v.boolValue else { throw FieldError("field '\(name(key))' must be true or false") }
        return b
    }

    func has(_ key: String) -> Bool { value[key].map { !$0.isNull } ?? false }

    func stringMap(_ key: String) throws(FieldError) -> [String: String] { try map(key, "a string", \.stringValue) }

    func doubleMap(_ key: String) throws(FieldError) -> [String: Double] { try map(key, "a number", \.doubleValue) }

    private func map<T>(_ key: String, _ kind: String, _ convert: (JSONValue) -> T?) throws(FieldError) -> [String: T] {
        guard let o = try field(key).objectValue else { throw FieldError("field '\(name(key))' must be an object") }
        var out: [String: T] = [:]
        for (k, v) in o {
            guard let converted = convert(v) else { throw FieldError("field '\(name(key)).\(k)' must be \(kind)") }
            out[k] = converted
        }
        return out
    }

    func numbers<T: FixedWidthInteger>(_ key: String) throws(FieldError) -> [T] {
        guard let decoded: [T] = Base64Numbers.decode(try string(key)) else {
            throw FieldError("field '\(name(key))' must be base64 of \(T.bitWidth)-bit little-endian numbers")
        }
        return decoded
    }

    func numbers(_ key: String) throws(FieldError) -> [Float] {
        guard let bits: [UInt32] = Base64Numbers.decode(try string(key)) else {
            throw FieldError("field '\(name(key))' must be base64 of 32-bit little-endian floats")
        }
        return bits.map(Float.init(bitPattern:))
    }
}

/// Arrays of numbers as base64 of their little-endian bytes.
enum Base64Numbers {
    static func encode(_ values: [Float]) -> String { encode(values.map(\.bitPattern)) }

    static func encode<T: FixedWidthInteger>(_ values: [T]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * T.bitWidth / 8)
        for value in values {
            var v = value.littleEndian
            withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString()
    }

    static func decode<T: FixedWidthInteger>(_ text: String) -> [T]? {
        guard let data = Data(base64Encoded: text) else { return nil }
        let width = T.bitWidth / 8
        guard data.count % width == 0 else { return nil }
        return data.withUnsafeBytes { raw in
            (0..<(data.count / width)).map { i in T(littleEndian: raw.loadUnaligned(fromByteOffset: i * width, as: T.self)) }
        }
    }
}
