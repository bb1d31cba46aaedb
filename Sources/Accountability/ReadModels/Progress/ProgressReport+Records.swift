public import EventLedger
import Foundation

extension ProgressReport {
    /// The Progress report of the mentorships whose records are `records` (in the order they
    /// started, as ``MentorshipRecords/inStartOrder`` lists them; one record alone gives that
    /// mentorship's entries) as of `asOf`: only facts that occurred at or before `asOf` count, and
    /// only mentorships started by then are reported.
    public init(records: some Sequence<MentorshipRecord>, asOf: Timestamp) {
        var goals: [GoalProgress] = []
        var byMentorship: [UUID: MentorshipProgress] = [:]
        var byParticipant: [UUID: GoalRollup] = [:]
        var byProgram: [UUID: GoalRollup] = [:]
        var programOf: [UUID: UUID] = [:]
        for record in records where record.pair.isStarted(asOf: asOf) {
            let facts = ProgressMentorshipFacts(record: record)
            let pair = facts.pair
            if byParticipant[pair.mentee] == nil { byParticipant[pair.mentee] = GoalRollup() }
            if byProgram[pair.program] == nil { byProgram[pair.program] = GoalRollup() }
            byMentorship[pair.mentorship] = MentorshipProgress(
                mentorship: pair.mentorship, program: pair.program, mentor: pair.mentor, mentee: pair.mentee,
                ended: pair.isEnded(asOf: asOf), goals: GoalRollup())
            for (id, goal) in facts.goals {
                guard let progress = ProgressFormulas.evaluate(goal, id: id, mentorship: pair.mentorship,
                                                               tasks: facts.tasks, asOf: asOf) else { continue }
                goals.append(progress)
                programOf[pair.mentorship] = pair.program
            }
            for (id, goal) in facts.settledGoals {
                guard let progress = goal.progress(goal: id, mentorship: pair.mentorship, asOf: asOf) else { continue }
                goals.append(progress)
                programOf[pair.mentorship] = pair.program
            }
        }
        // Sorted first, so that sums of doubles are added in the same order on every run.
        goals.sort { a, b in
            a.goal != b.goal ? a.goal.precedes(b.goal) : a.mentorship.precedes(b.mentorship)
        }
        var overall = GoalRollup()
        for progress in goals {
            byMentorship[progress.mentorship]?.goals.add(progress, asOf: asOf)
            byParticipant[progress.owner, default: GoalRollup()].add(progress, asOf: asOf)
            if let program = programOf[progress.mentorship] { byProgram[program, default: GoalRollup()].add(progress, asOf: asOf) }
            overall.add(progress, asOf: asOf)
        }
        self.init(asOf: asOf, goals: goals, mentorships: byMentorship, participants: byParticipant,
                  programs: byProgram, overall: overall)
    }
}
