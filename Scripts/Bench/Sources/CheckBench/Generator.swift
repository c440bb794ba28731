/// Generates an exercise of any size that uses every statement kind, and the same content
/// as JSON, for the throughput comparison.
enum Generator {
    /// The file `@include`d by the generated exercise.
    static let library = """
        title: Library
        ---
        @section calm
        @breathe in 4s out 6s
        @ask word "One word for now?"

        """

    static let header = """
        title: Every statement, many times
        summary: A generated exercise for the benchmark.
        tags: benchmark, generated
        source: attune Scripts/bench-check
        caution: Stop if you feel dizzy.
        ---
        @include "lib.attune"
        @ask name "What name shall I use?"

        """

    /// One part of the exercise; part `number` jumps on to the next. It reads like the
    /// shipped exercises (about 40% prose lines, 40-odd bytes a line) and holds every
    /// statement kind once.
    static func part(_ number: Int) -> String {
        """
        @section part-\(number)
        // Part \(number). The protocol: notice, breathe, name what is here, then rest.
        // Every statement of the language appears once below, for the benchmark.

        Let your attention settle on the breath for a moment, {name}. There is nothing
        to fix and nowhere else to be; this is part \(number), and last time you chose
        {last.mood}. Notice where the breath is easiest to feel: the nose, the chest,
        or the belly. \\{Braces\\} and a leading \\@ stay literal here.
        @pause 2s "Arriving, {name}"

        Breathe in through the nose, then take a second small sip of air on top, and
        let it all go slowly through the mouth.
        @breathe in 4s in 1s hold 4s out 6s
        @bell

        If anything came up, you can write it down. Nobody else will read it.
        @write notes "Anything to write?" for 1m30s
        @rate level "How tense do you feel, from 0 to 10?" 0..10
        @choose mood "Which word fits best right now?"
          - Calm
          - Busy
            That is all right. Let us give the busy mind one slower breath.
            @set level = level + 1 - (2 - -3)
          - Skip ahead -> part-\(number + 1)
        @if level > 5 and mood == "Busy" or not notes
          @set note = "tense"
        @elif last.level != 3
          Welcome back, {name}. Your number was {last.level} last time.
        @else
          @repeat 2 times
            @breathe in 2s out 4s
        @repeat for 1m
          @pause 500ms
        @call calm
        @call breath
        @reflect
          In part \(number) I noticed {word}, and it was enough to notice it.

        @goto part-\(number + 1)

        """
    }

    static func footer(_ last: Int) -> String {
        """
        @section part-\(last)
        @end
        @section breath
        @breathe in 4s hold 2s out 6s

        """
    }

    /// An exercise of at least `size` bytes, and the number of parts in it.
    static func exercise(size: Int) -> (text: String, parts: Int) {
        var text = header
        text.reserveCapacity(size + 4096)
        var number = 0
        while text.utf8.count < size {
            text += part(number)
            number += 1
        }
        return (text + footer(number), number)
    }
}
