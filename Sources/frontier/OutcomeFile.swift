import Foundation
import FrontierCore

/// Outcome records written as the outcomes JSONL (`frontier eval` and `frontier promote --suite`).
enum OutcomeFile {
    static func write(_ records: [OutcomeRecord], to path: String) {
        var bytes: [UInt8] = []
        for record in records {
            record.json.write(to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        do { try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            OfflineInput.fail("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
