"""A small OTLP collector for the telemetry tests: receives what the gateway
exports over OTLP/HTTP (protobuf) or OTLP/gRPC and decodes it with the
official `opentelemetry-proto` package, keeping every span and metric name."""
import contextlib
import threading
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2, metrics_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc


def any_value(value):
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [any_value(v) for v in value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: any_value(kv.value) for kv in value.kvlist_value.values}
    if kind == "bytes_value":
        return value.bytes_value.hex()
    return getattr(value, kind) if kind else None


class Sink:
    """What arrived: spans as dicts, metrics by name with their data points' attributes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.spans = []
        self.metrics = {}
        self.requests = 0

    def traces(self, request):
        with self.lock:
            self.requests += 1
            for resource_spans in request.resource_spans:
                resource = {kv.key: any_value(kv.value) for kv in resource_spans.resource.attributes}
                for scope in resource_spans.scope_spans:
                    for span in scope.spans:
                        self.spans.append({
                            "trace_id": span.trace_id.hex(), "span_id": span.span_id.hex(),
                            "parent_span_id": span.parent_span_id.hex(), "name": span.name, "kind": span.kind,
                            "start": span.start_time_unix_nano, "end": span.end_time_unix_nano,
                            "status": span.status.code,
                            "attributes": {kv.key: any_value(kv.value) for kv in span.attributes},
                            "events": [{"name": e.name, "attributes": {kv.key: any_value(kv.value) for kv in e.attributes}} for e in span.events],
                            "resource": resource,
                        })

    def metrics_request(self, request):
        with self.lock:
            self.requests += 1
            for resource_metrics in request.resource_metrics:
                for scope in resource_metrics.scope_metrics:
                    for metric in scope.metrics:
                        kind = metric.WhichOneof("data")
                        points = getattr(metric, kind).data_points if kind else []
                        entry = self.metrics.setdefault(metric.name, [])
                        for point in points:
                            entry.append({
                                "kind": kind, "attributes": {kv.key: any_value(kv.value) for kv in point.attributes},
                                "count": getattr(point, "count", None), "sum": getattr(point, "sum", None),
                            })

    def snapshot(self):
        with self.lock:
            return list(self.spans), dict(self.metrics)


@contextlib.contextmanager
def http_receiver():
    """OTLP/HTTP on a free port: yields (base URL, sink)."""
    sink = Sink()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            if self.path == "/v1/traces":
                request = trace_service_pb2.ExportTraceServiceRequest()
                request.ParseFromString(body)
                sink.traces(request)
                answer = trace_service_pb2.ExportTraceServiceResponse().SerializeToString()
            elif self.path == "/v1/metrics":
                request = metrics_service_pb2.ExportMetricsServiceRequest()
                request.ParseFromString(body)
                sink.metrics_request(request)
                answer = metrics_service_pb2.ExportMetricsServiceResponse().SerializeToString()
            else:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("content-type", "application/x-protobuf")
            self.send_header("content-length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", sink
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def grpc_receiver():
    """OTLP/gRPC on a free port: yields (URL, sink)."""
    sink = Sink()

    class Traces(trace_service_pb2_grpc.TraceServiceServicer):
        def Export(self, request, context):
            sink.traces(request)
            return trace_service_pb2.ExportTraceServiceResponse()

    class Metrics(metrics_service_pb2_grpc.MetricsServiceServicer):
        def Export(self, request, context):
            sink.metrics_request(request)
            return metrics_service_pb2.ExportMetricsServiceResponse()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(Traces(), server)
    metrics_service_pb2_grpc.add_MetricsServiceServicer_to_server(Metrics(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"http://127.0.0.1:{port}", sink
    finally:
        server.stop(grace=None)
