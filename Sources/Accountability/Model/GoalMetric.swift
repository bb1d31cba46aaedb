/// How a goal is measured: the "M" of SMART.
public struct GoalMetric: Sendable, Hashable {
    /// What is measured, for example "weekly pull requests merged".
    public var name: String
    /// The unit, for example "PRs" or "%".
    public var unit: String
    /// The value when the goal is set.
    public var baseline: Double
    /// The value that means the goal is met; must differ from the baseline.
    public var target: Double

    /// Creates a metric.
    public init(name: String, unit: String, baseline: Double, target: Double) {
        self.name = name
        self.unit = unit
        self.baseline = baseline
        self.target = target
    }
}
