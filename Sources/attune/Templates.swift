import ArgumentParser

/// The starter exercises `attune new` writes. Each is commented to teach the language as it
/// goes (what each line does, where to change timings, a `source:` line to fill in), and
/// each checks with no errors and no warnings and is already in `attune fmt`'s layout (the
/// CLI tests hold them to both).
enum StarterTemplate: String, CaseIterable, ExpressibleByArgument {
    case breathing
    case bodyScan = "body-scan"
    case journal

    /// `my-body-scan` → `My body scan`.
    static func title(for name: String) -> String {
        let words = name.split(separator: "-").joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    func text(title: String) -> String {
        let top = """
            // The header: `key: value` lines, ended by the line `---`. The title is shown when
            // the exercise starts and in `attune list`; change it to anything you like.
            title: \(title)

            """
        let source = """
            // Where does this practice come from? Name the book, paper or teacher, so people
            // can look it up. Please replace the words after `source:`.
            source: Fill in: the book, paper or teacher this exercise comes from

            """
        let teaching = """
            ---
            // Lines that start with // are comments: attune never shows them. They are here
            // to teach; delete them whenever you like. `attune check` finds mistakes, with
            // their line and column and a code such as A012; the language reference's
            // Diagnostics page explains each code, with a fix.
            //
            // A line without @ is prose, read to the person. Lines next to each other form one
            // paragraph; a blank line starts the next one.

            """
        switch self {
        case .breathing:
            return top + """
                summary: A few minutes of slow, even breathing to settle the body.
                tags: breathing, calming

                """ + source + teaching + """
                Find a comfortable seat and let your shoulders drop.
                // @pause waits, with a countdown. Change 5s to any length: 10s, 1m, 1m30s.
                @pause 5s

                // @rate asks for a whole number in a range and keeps it in a variable, `before`.
                @rate before "How tense do you feel right now?" 0..10

                Breathe in through your nose, and out slowly through your mouth.

                // @repeat for runs the lines indented under it again and again until 3 minutes
                // have passed; a breath in progress always finishes. Change 3m to 1m or 5m.
                @repeat for 3m
                  // @breathe is one breath: each phase (in, hold or out) with its own length.
                  // Try `in 4s hold 4s out 4s hold 4s` for box breathing.
                  @breathe in 4s out 6s

                // @bell rings a soft cue; it takes no time.
                @bell
                @rate after "And now?" 0..10
                // @if tests a condition; {before} and {after} put the answers into the text.
                @if after < before
                  You moved from {before} to {after}. Notice what helped.
                @else
                  Whatever you feel now is welcome.

                """
        case .bodyScan:
            return top + """
                summary: A slow journey of attention from the feet to the head.
                tags: body scan, awareness

                """ + source + """
                // A caution is shown before the exercise starts, and the person must answer yes
                // to go on. Keep it for exercises that need care; delete the line if not.
                caution: If attending to your body brings up distress, open your eyes and stop whenever you need to.

                """ + teaching + """
                Lie down or sit comfortably. Let your eyes close, or rest your gaze on the floor.
                // @call runs a section (see the end of the file) and comes back here.
                @call breath

                // Each part of the body is a paragraph and a pause. Add, remove or reorder them
                // freely, and change a pause's length (30s, 45s, 1m) to stay longer. The words
                // in quotes are a caption shown beside the countdown.
                Bring your attention to your feet. Notice whatever is there: warmth, pressure,
                tingling, or nothing at all. Nothing needs to change.
                @pause 30s "Feet"

                Let your attention move up into your legs: the calves, the knees, the thighs.
                @pause 30s "Legs"

                Now the belly and the chest. Feel them rise and fall with each breath.
                @pause 30s "Belly and chest"

                Notice your hands, your arms and your shoulders. Let them be heavy.
                @pause 30s "Arms and shoulders"

                Finally your neck, your face and the top of your head.
                @pause 30s "Neck and head"

                @call breath
                Take a moment to feel your whole body at once, then gently open your eyes.
                // @end finishes the exercise here, so the section below runs only when called.
                @end

                // A section is a named part: it runs to the next @section or the end of the file.
                @section breath
                Take one slow breath with me.
                @breathe in 4s out 6s

                """
        case .journal:
            return top + """
                summary: Name what you feel, write about it, and notice what it connects with.
                tags: journaling, reflection

                """ + source + teaching + """
                Settle in for a few minutes of writing. There are no wrong answers here.
                @pause 5s

                // last.feeling is what `feeling` held at the end of this person's previous
                // session. A bare name in @if is true when it has a value (the first time, none).
                @if last.feeling
                  Last time you named {last.feeling}.

                // @ask reads a one-line answer into a variable; {feeling} puts it into later text.
                @ask feeling "What are you feeling right now, in a word or two?"

                // @write takes free writing until a line /done; `for 5m` also ends it after 5 minutes.
                @write story "When did you last feel {feeling}? Write what happened." for 5m

                // @choose shows a menu. Each option is a line starting with `-`; the lines
                // indented under an option run when it is chosen.
                @choose next "What would help now?"
                  - A few slow breaths
                    // @repeat 3 times runs the lines under it three times.
                    @repeat 3 times
                      @breathe in 4s out 6s
                  - A moment of quiet
                    @pause 30s "Quiet"
                  - Nothing more, thank you

                // @reflect shows its prose and saves it in the journal as this session's reflection.
                @reflect
                  Today you named {feeling}, and chose: {next}.

                """
        }
    }
}
