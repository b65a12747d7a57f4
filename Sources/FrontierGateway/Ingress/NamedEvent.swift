import FrontierCore
import NIOCore

/// A server-sent event with a name (`event: type` then `data: {...}`), as
/// Anthropic's and the Responses API's streams send every event.
enum NamedEvent {
    static func write(_ event: String, _ data: JSONValue, into out: inout ByteBuffer) {
        out.writeString("event: ")
        out.writeString(event)
        out.writeString("\ndata: ")
        out.writeBytes(data.serialized())
        out.writeString("\n\n")
    }
}
