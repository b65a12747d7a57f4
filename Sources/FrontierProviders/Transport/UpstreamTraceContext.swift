public import FrontierCore

/// The trace context a call to an upstream carries (`traceparent`, `tracestate`):
/// set by the gateway around each attempt while telemetry is on, and sent only
/// to models that allow it (`propagate_trace_context`; off for clouds by default).
/// A task-local so that every provider picks it up at the one place it builds
/// its headers, without a parameter on every call in between.
public enum UpstreamTraceContext {
    @TaskLocal public static var headers: [(String, String)] = []

    /// The headers to add for a call to `model`.
    static func headers(for model: ModelEntry) -> [(String, String)] {
        model.propagatesTraceContext ? headers : []
    }
}
