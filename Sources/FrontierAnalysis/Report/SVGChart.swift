import Foundation

/// A cost-quality chart as inline SVG: axes with ticks, point series and
/// line series, a legend. Cost may use a log scale (model costs span orders
/// of magnitude). No scripts, no external assets: the report is one file.
struct SVGChart {
    struct Series {
        var name: String
        var color: String
        var points: [(x: Double, y: Double, label: String?)]
        var line: Bool
        var dots: Bool = true
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var logX: Bool
    var width = 640.0
    var height = 400.0
    var series: [Series] = []
    /// Forces the axes to include these ranges (e.g. PGR's 0...1).
    var xRange: ClosedRange<Double>?
    var yRange: ClosedRange<Double>?
    var legend = true
    /// Carries its own style sheet, for a chart shown as an image (the analysis page styles its charts itself).
    var standalone = false

    /// The chart classes' style: the analysis page's, and a standalone chart's own.
    static let style = """
        .chart .title { font-size: 14px; font-weight: 600; } \
        .chart .tick, .chart .legend, .chart .label { font-size: 11px; } .chart .axis { font-size: 12px; } \
        .chart .frame { fill: none; stroke: #999; } .chart .grid { stroke: #eee; }
        """

    private var margin: (left: Double, right: Double, top: Double, bottom: Double) { (62, legend ? 220 : 16, 34, 48) }

    func render(id: String) -> String {
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite && (!logX || $0.x > 0) }
        let xs = all.map { logX ? log10($0.x) : $0.x }, ys = all.map(\.y)
        var x0 = xRange.map { logX ? log10($0.lowerBound) : $0.lowerBound } ?? (xs.min() ?? 0)
        var x1 = xRange.map { logX ? log10($0.upperBound) : $0.upperBound } ?? (xs.max() ?? 1)
        var y0 = yRange?.lowerBound ?? (ys.min() ?? 0), y1 = yRange?.upperBound ?? (ys.max() ?? 1)
        if x1 - x0 < 1e-12 { x0 -= 0.5; x1 += 0.5 }
        if y1 - y0 < 1e-12 { y0 -= 0.05; y1 += 0.05 }
        if xRange == nil { let pad = (x1 - x0) * 0.05; x0 -= pad; x1 += pad }
        if yRange == nil { let pad = (y1 - y0) * 0.08; y0 -= pad; y1 += pad }
        let plotW = width - margin.left - margin.right, plotH = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + ((logX ? log10(x) : x) - x0) / (x1 - x0) * plotW }
        func py(_ y: Double) -> Double { margin.top + (1 - (y - y0) / (y1 - y0)) * plotH }

        var svg = #"<svg class="chart" id="\#(id)" xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="\#(Self.escape(title))">"#
        if standalone { svg += "<style>.chart { font-family: sans-serif; } \(Self.style)</style>" + ##"<rect width="100%" height="100%" fill="#ffffff"/>"## }
        svg += #"<text x="\#(margin.left)" y="20" class="title">\#(Self.escape(title))</text>"#
        svg += #"<rect x="\#(margin.left)" y="\#(margin.top)" width="\#(plotW)" height="\#(plotH)" class="frame"/>"#
        for tick in Self.ticks(x0, x1, log: logX) {
            let x = margin.left + ((logX ? log10(tick) : tick) - x0) / (x1 - x0) * plotW
            svg += #"<line x1="\#(f(x))" y1="\#(margin.top)" x2="\#(f(x))" y2="\#(margin.top + plotH)" class="grid"/>"#
            svg += #"<text x="\#(f(x))" y="\#(margin.top + plotH + 16)" class="tick" text-anchor="middle">\#(Self.tickLabel(tick))</text>"#
        }
        for tick in Self.ticks(y0, y1, log: false) {
            svg += #"<line x1="\#(margin.left)" y1="\#(f(py(tick)))" x2="\#(margin.left + plotW)" y2="\#(f(py(tick)))" class="grid"/>"#
            svg += #"<text x="\#(margin.left - 6)" y="\#(f(py(tick) + 4))" class="tick" text-anchor="end">\#(Self.tickLabel(tick))</text>"#
        }
        svg += #"<text x="\#(margin.left + plotW / 2)" y="\#(height - 8)" class="axis" text-anchor="middle">\#(Self.escape(xLabel))</text>"#
        svg += #"<text x="14" y="\#(margin.top + plotH / 2)" class="axis" text-anchor="middle" transform="rotate(-90 14 \#(margin.top + plotH / 2))">\#(Self.escape(yLabel))</text>"#
        for (n, s) in series.enumerated() {
            let points = s.points.filter { $0.x.isFinite && $0.y.isFinite && (!logX || $0.x > 0) }
            if s.line, points.count >= 2 {
                let path = points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
                svg += #"<polyline points="\#(path)" fill="none" stroke="\#(s.color)" stroke-width="2" class="series-line"/>"#
            }
            if s.dots {
                for p in points {
                    svg += #"<circle cx="\#(f(px(p.x)))" cy="\#(f(py(p.y)))" r="4" fill="\#(s.color)" class="point"><title>\#(Self.escape(p.label ?? s.name)): cost \#(Self.tickLabel(p.x)), quality \#(String(format: "%.3f", p.y))</title></circle>"#
                    if let label = p.label {
                        svg += #"<text x="\#(f(px(p.x) + 6))" y="\#(f(py(p.y) - 6))" class="label">\#(Self.escape(label))</text>"#
                    }
                }
            }
            guard legend else { continue }
            let ly = margin.top + 14 + Double(n) * 18
            svg += #"<rect x="\#(width - margin.right + 12)" y="\#(f(ly - 9))" width="12" height="12" fill="\#(s.color)"/>"#
            svg += #"<text x="\#(width - margin.right + 30)" y="\#(f(ly + 1))" class="legend">\#(Self.escape(s.name))</text>"#
        }
        return svg + "</svg>"
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func ticks(_ a: Double, _ b: Double, log: Bool) -> [Double] {
        if log {
            let low = Int(a.rounded(.up)), high = Int(b.rounded(.down))
            return low <= high ? (low...high).map { pow(10, Double($0)) } : []
        }
        let raw = (b - a) / 5
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var ticks: [Double] = []
        var t = (a / step).rounded(.up) * step
        while t <= b + step * 1e-9, ticks.count < 12 {
            ticks.append(t)
            t += step
        }
        return ticks
    }

    static func tickLabel(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 0.01 && abs(v) < 1000 { return String(format: "%g", (v * 1e6).rounded() / 1e6) }
        return String(format: "%.0e", v)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
