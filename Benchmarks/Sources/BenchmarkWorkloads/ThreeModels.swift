public import Accountability
public import EventLedger

/// Progress + Engagement + Commitment folded together in one pass: the "three models".
public typealias ThreeModels = CombinedProjection<CombinedProjection<ProgressProjection, EngagementProjection>, CommitmentProjection>

/// The three models, as every benchmark and peer folds them.
public func threeModels() throws -> ThreeModels {
    try CombinedProjection(CombinedProjection(ProgressProjection(), EngagementProjection()), CommitmentProjection())
}
