/// The non-decreasing convex hull (NDCH) of cost-quality points: the best
/// quality reachable at each cost, mixing two neighbouring settings at random
/// where that beats both. For single models it is the "zero router".
///
/// Definitions (docs/metrics.md has them with examples):
/// - A point is dropped when a point no costlier has at least its quality.
/// - Of the rest, the upper convex hull (in cost, quality) is kept.
/// - Below the cheapest vertex the curve has no value (nothing reaches that
///   budget); above the costliest it stays at its highest quality.
///
/// ```swift
/// let zero = FrontierCurve(hullOf: set.modelPoints())
/// zero.averageQuality(from: 0.00003, to: 0.0042)   // AIQ
/// zero.cost(toReach: 0.724)
/// ```
public struct FrontierCurve: Sendable, Equatable {
    /// The hull's vertices: cost and quality both strictly increasing.
    public let vertices: [CostQualityPoint]

    public init(hullOf points: [CostQualityPoint]) {
        let sorted = points.filter { $0.cost.isFinite && $0.quality.isFinite }
            .sorted { $0.cost != $1.cost ? $0.cost < $1.cost : $0.quality > $1.quality }
        var rising: [CostQualityPoint] = []
        for point in sorted where point.quality > (rising.last?.quality ?? -.infinity) {
            rising.append(point)
        }
        var hull: [CostQualityPoint] = []
        for point in rising {
            while hull.count >= 2, Self.cross(hull[hull.count - 2], hull[hull.count - 1], point) >= 0 {
                hull.removeLast()
            }
            hull.append(point)
        }
        vertices = hull
    }

    /// > 0 when `b` lies above the line from `a` to `p`; <= 0 when on or below it.
    private static func cross(_ a: CostQualityPoint, _ b: CostQualityPoint, _ p: CostQualityPoint) -> Double {
        (b.cost - a.cost) * (p.quality - a.quality) - (b.quality - a.quality) * (p.cost - a.cost)
    }

    /// The quality reachable at `cost`; nil below the cheapest vertex.
    public func quality(atCost cost: Double) -> Double? {
        guard let first = vertices.first, cost >= first.cost else { return nil }
        for (a, b) in zip(vertices, vertices.dropFirst()) where cost <= b.cost {
            return a.quality + (b.quality - a.quality) * (cost - a.cost) / (b.cost - a.cost)
        }
        return vertices.last?.quality
    }

    /// AIQ: the mean of the curve's quality over [low, high], counting 0 where
    /// the curve has no value yet (below its cheapest vertex).
    public func averageQuality(from low: Double, to high: Double) -> Double {
        guard high > low, let last = vertices.last else {
            return high == low ? quality(atCost: low) ?? 0 : 0
        }
        var area = 0.0
        // Trapezoids between consecutive vertices, clipped to [low, high].
        for (a, b) in zip(vertices, vertices.dropFirst()) {
            let from = max(a.cost, low), to = min(b.cost, high)
            guard to > from else { continue }
            let qFrom = a.quality + (b.quality - a.quality) * (from - a.cost) / (b.cost - a.cost)
            let qTo = a.quality + (b.quality - a.quality) * (to - a.cost) / (b.cost - a.cost)
            area += (qFrom + qTo) / 2 * (to - from)
        }
        // Flat beyond the costliest vertex.
        let flatFrom = max(last.cost, low)
        if high > flatFrom { area += last.quality * (high - flatFrom) }
        return area / (high - low)
    }

    /// The least cost at which the curve reaches `quality`; nil if it never does.
    public func cost(toReach quality: Double) -> Double? {
        guard let index = vertices.firstIndex(where: { $0.quality >= quality }) else { return nil }
        let b = vertices[index]
        guard index > 0 else { return b.cost }
        let a = vertices[index - 1]
        return a.cost + (quality - a.quality) / (b.quality - a.quality) * (b.cost - a.cost)
    }

    public var peakQuality: Double? { vertices.last?.quality }
}
