/// How a simulated pair behaves. The mix is in ``ProgramSimulator``.
enum BehaviourProfile: CaseIterable, Sendable {
    /// Meets on cadence, does its tasks, rates well.
    case steady
    /// Starts well, then fades after a few weeks and ghosts; the system ends it for inactivity.
    case fading
    /// Someone often does not turn up.
    case noShowProne
    /// Tasks are often late or never done.
    case lateTasks
    /// The pair does not work; low ratings, ended early as a bad fit.
    case badFit

    /// Draws a profile: 50 % steady, 15 % fading, 15 % no-show prone, 14 % late tasks, 6 % bad fit.
    static func draw(_ random: inout SeededGenerator) -> BehaviourProfile {
        let roll = random.below(100)
        switch roll {
        case 0..<50: return .steady
        case 50..<65: return .fading
        case 65..<80: return .noShowProne
        case 80..<94: return .lateTasks
        default: return .badFit
        }
    }

    /// The chance that a due session is missed.
    var missRate: Double {
        switch self {
        case .steady: 0.04
        case .fading: 0.12
        case .noShowProne: 0.35
        case .lateTasks: 0.08
        case .badFit: 0.15
        }
    }

    /// The chance that a due session is cancelled.
    var cancelRate: Double {
        switch self {
        case .steady: 0.06
        case .fading: 0.15
        case .noShowProne: 0.12
        case .lateTasks: 0.08
        case .badFit: 0.15
        }
    }

    /// The chance that a task is done on time; otherwise late (or, for some, never).
    var onTimeRate: Double {
        switch self {
        case .steady: 0.85
        case .fading: 0.5
        case .noShowProne: 0.65
        case .lateTasks: 0.3
        case .badFit: 0.5
        }
    }

    /// The chance that each side gives feedback after a held session.
    var feedbackRate: Double {
        switch self {
        case .steady: 0.75
        case .fading: 0.4
        case .noShowProne: 0.55
        case .lateTasks: 0.6
        case .badFit: 0.7
        }
    }

    /// A rating drawn for this kind of pair.
    func rating(_ random: inout SeededGenerator) -> Int {
        switch self {
        case .steady: random.pick([3, 4, 4, 5, 5, 5])
        case .fading: random.pick([2, 3, 3, 4, 4, 5])
        case .noShowProne: random.pick([2, 3, 4, 4, 5])
        case .lateTasks: random.pick([3, 3, 4, 4, 5])
        case .badFit: random.pick([1, 1, 2, 2, 3, 4])
        }
    }
}
