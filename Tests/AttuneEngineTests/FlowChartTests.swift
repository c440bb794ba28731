import AttuneEngine
import AttuneLanguage
import Testing

@Suite("Flow charts (attune graph)")
struct FlowChartTests {
    /// Every kind of edge: true, else (from @if and @elif), option labels, an option's jump,
    /// /skip, repeat N, for D, done, call, goto (joined with the label that leads to it),
    /// falls through, and the end; and labels that need escaping in both formats.
    static let everyEdge = #"""
        title: Every edge
        ---
        Arrive, and settle.
        @pause 5s "Settle: \"in\" & <out> | #1 `tick` a\\b"

        @rate before "How tense?" 0..10
        @if before > 5
          That is a lot.
        @elif before > 2
          Some.
        @else
          @bell
        @choose path "Where to?"
          - Breathe
            @repeat 4 times
              @breathe in 4s out 4s
          - Write -> writing
          - Rest
        @call closing
        @repeat for 1m
          @pause 10s
        @end

        @section writing
        @write story "Write." for 5m
        @if story
          @goto closing
        Nothing written today.

        @section closing
        Thank you.
        """#

    static let expectedDOT = #"""
        digraph attune {
          node [shape=box, fontname="Helvetica"];
          edge [fontname="Helvetica", fontsize=10];
          start [label="Every edge", shape=oval];
          l3 [label="“Arrive, and settle.”\npause 5s \"Settle: \"in\" & <out> | #1 `tick` a\\b\"\ntime: 5s"];
          l6 [label="rate before 0..10\ntime: 1 prompt"];
          l7 [label="if before > 5\ntime: 0s", shape=diamond];
          l8 [label="“That is a lot.”\ntime: 0s"];
          l9 [label="elif before > 2\ntime: 0s", shape=diamond];
          l10 [label="“Some.”\ntime: 0s"];
          l12 [label="bell\ntime: 0s"];
          l13 [label="choose path \"Where to?\"\ntime: 0s to 32s + 1 prompt", shape=hexagon];
          l15 [label="repeat 4 times\ntime: 32s", shape=box, style=rounded];
          l16 [label="breathe in 4s out 4s\ntime: 8s"];
          l19 [label="call closing\ntime: 0s", shape=box, peripheries=2];
          l20 [label="repeat for 1m\n6 cycles of 10s\ntime: 1m", shape=box, style=rounded];
          l21 [label="pause 10s\ntime: 10s"];
          l24 [label="section writing\ntime: 0s to 5m + 1 prompt", shape=tab, style=bold];
          l25 [label="write story for 5m\ntime: 0s to 5m + 1 prompt"];
          l26 [label="if story\ntime: 0s", shape=diamond];
          l28 [label="“Nothing written today.”\ntime: 0s"];
          l30 [label="section closing\ntime: 0s", shape=tab, style=bold];
          l31 [label="“Thank you.”\ntime: 0s"];
          finish [label="end", shape=oval];
          start -> l3;
          l3 -> l6;
          l6 -> l7;
          l7 -> l8 [label="true"];
          l7 -> l9 [label="else"];
          l9 -> l10 [label="true"];
          l9 -> l12 [label="else"];
          l8 -> l13;
          l10 -> l13;
          l12 -> l13;
          l13 -> l15 [label="Breathe"];
          l15 -> l16 [label="repeat 4"];
          l16 -> l15;
          l13 -> l24 [label="Write", style=bold];
          l15 -> l19 [label="done"];
          l13 -> l19 [label="Rest"];
          l13 -> l19 [label="/skip", style=dotted];
          l19 -> l30 [label="call", style=dashed];
          l19 -> l20;
          l20 -> l21 [label="for 1m"];
          l21 -> l20;
          l20 -> finish [label="done"];
          l24 -> l25;
          l25 -> l26;
          l26 -> l30 [label="true, goto", style=bold];
          l26 -> l28 [label="else"];
          l28 -> l30 [label="falls through"];
          l30 -> l31;
          l31 -> finish;
        }
        """#

    static let expectedMermaid = #"""
        flowchart TD
          start(["Every edge"])
          l3["“Arrive, and settle.”<br>pause 5s #quot;Settle: #quot;in#quot; #amp; #lt;out#gt; #124; #35;1 #96;tick#96; a\b#quot;<br>time: 5s"]
          l6["rate before 0..10<br>time: 1 prompt"]
          l7{"if before #gt; 5<br>time: 0s"}
          l8["“That is a lot.”<br>time: 0s"]
          l9{"elif before #gt; 2<br>time: 0s"}
          l10["“Some.”<br>time: 0s"]
          l12["bell<br>time: 0s"]
          l13{{"choose path #quot;Where to?#quot;<br>time: 0s to 32s + 1 prompt"}}
          l15[/"repeat 4 times<br>time: 32s"/]
          l16["breathe in 4s out 4s<br>time: 8s"]
          l19[["call closing<br>time: 0s"]]
          l20[/"repeat for 1m<br>6 cycles of 10s<br>time: 1m"/]
          l21["pause 10s<br>time: 10s"]
          l24>"section writing<br>time: 0s to 5m + 1 prompt"]
          l25["write story for 5m<br>time: 0s to 5m + 1 prompt"]
          l26{"if story<br>time: 0s"}
          l28["“Nothing written today.”<br>time: 0s"]
          l30>"section closing<br>time: 0s"]
          l31["“Thank you.”<br>time: 0s"]
          finish(["end"])
          start --> l3
          l3 --> l6
          l6 --> l7
          l7 -->|"true"| l8
          l7 -->|"else"| l9
          l9 -->|"true"| l10
          l9 -->|"else"| l12
          l8 --> l13
          l10 --> l13
          l12 --> l13
          l13 -->|"Breathe"| l15
          l15 -->|"repeat 4"| l16
          l16 --> l15
          l13 ==>|"Write"| l24
          l15 -->|"done"| l19
          l13 -->|"Rest"| l19
          l13 -.->|"/skip"| l19
          l19 -.->|"call"| l30
          l19 --> l20
          l20 -->|"for 1m"| l21
          l21 --> l20
          l20 -->|"done"| finish
          l24 --> l25
          l25 --> l26
          l26 ==>|"true, goto"| l30
          l26 -->|"else"| l28
          l28 -->|"falls through"| l30
          l30 --> l31
          l31 --> finish
        """#

    static func chart(_ text: String) -> FlowChart {
        let result = Checker.check(text: text, path: "every-edge.attune")
        #expect(result.diagnostics.isEmpty)
        return FlowChart(result)
    }

    @Test func dotForEveryKindOfEdge() {
        #expect(Self.chart(Self.everyEdge + "\n").dot() == Self.expectedDOT + "\n")
    }

    @Test func mermaidForEveryKindOfEdge() {
        #expect(Self.chart(Self.everyEdge + "\n").mermaid() == Self.expectedMermaid + "\n")
    }

    @Test func calledSectionsOfAnIncludedFileAreDrawnOnceAndNeverFallenInto() {
        let main = """
            title: Main
            ---
            @include "parts.attune"
            @call ground
            @call close
            @call ground
            """
        let parts = """
            title: Parts
            ---
            This opening is never run from an include.
            @section ground
            Feel your feet.
            @pause 3s
            @section close
            @breathe in 4s out 6s
            """
        let load: Checker.Loader = { path in path == "parts.attune" ? SourceFile(path: path, text: parts) : nil }
        let result = Checker.check(SourceFile(path: "main.attune", text: main), load: load)
        #expect(result.diagnostics.isEmpty)
        let chart = FlowChart(result)
        #expect(chart.nodes.map(\.id) == ["start", "l4", "l5", "l6", "f1l4", "f1l5", "f1l7", "f1l8", "finish"])
        #expect(chart.nodes.first { $0.id == "l4" }?.lines == ["call ground", "time: 3s"])
        #expect(chart.nodes.first { $0.id == "f1l7" }?.lines == ["section close", "time: 10s"])
        #expect(chart.edges.filter { $0.style == .call }.map { "\($0.from)->\($0.to)" } == ["l4->f1l4", "l5->f1l7", "l6->f1l4"])
        #expect(!chart.edges.contains { $0.label == "falls through" })
        #expect(!chart.edges.contains { $0.from == "f1l5" && $0.to == "f1l7" })
        #expect(chart.mermaid().split(separator: "\n").filter { $0.hasPrefix("  f1l4[") || $0.hasPrefix("  f1l4>") }.count == 1)
    }

    @Test func aCallIntoAnIncludedFileLeavesTheRestOfThisFileConnected() {
        // Charting the included file's sections had left this file "inside a called section",
        // so its next section was never fallen into and the end was unconnected.
        let main = """
            title: Main
            ---
            @include "helper.attune"
            @call calm-down
            @pause 1s

            @section closing
            Bye.
            """
        let helper = "title: Helper\n---\n@section calm-down\nBreathe slowly.\n"
        let load: Checker.Loader = { path in path == "helper.attune" ? SourceFile(path: path, text: helper) : nil }
        let result = Checker.check(SourceFile(path: "main.attune", text: main), load: load)
        #expect(result.diagnostics.isEmpty)
        let edges = FlowChart(result).edges.map { "\($0.from)->\($0.to)\($0.label.map { " " + $0 } ?? "")" }
        #expect(edges.contains("l5->l7 falls through"), "\(edges)")
        #expect(edges.contains("l8->finish"), "\(edges)")
    }

    @Test func aSectionThatIsOnlyCalledReturnsInsteadOfFallingThrough() {
        let text = """
            title: Called
            ---
            @call breath
            @goto closing
            @section breath
            @breathe in 4s out 6s
            @section closing
            @rate before "Before?" 0..10
            @rate afterwards "After?" 0..10
            Now from {before} to {afterwards} today.
            """
        let chart = Self.chart(text)
        let edges = chart.edges.map { "\($0.from)->\($0.to)" + ($0.label.map { " \($0)" } ?? "") }
        #expect(edges == ["start->l3", "l3->l5 call", "l3->l7 goto", "l5->l6", "l7->l8", "l8->finish"])
        // A paragraph is never cut inside an insertion.
        #expect(chart.nodes.first { $0.id == "l8" }?.lines[2] == "“Now from {before} to…”")
    }

    @Test func longRunsAndParagraphsAreShortened() {
        let text = """
            title: Long
            ---
            This paragraph goes on for rather longer than a node has room to show,
            over two lines.
            @pause 1s
            @pause 2s
            @bell
            @pause 3s
            @bell
            @pause 4s
            @pause 5s
            @ask name "Who?"
            """
        let chart = Self.chart(text)
        #expect(chart.nodes.first { $0.id == "l3" }?.lines == [
            "“This paragraph goes on for…”", "pause 1s", "pause 2s", "bell", "pause 3s", "bell",
            "… and 3 more", "time: 15s + 1 prompt",
        ])
    }

    @Test func timesThatVaryAreRanges() {
        let text = """
            title: Ranges
            ---
            @rate r "How?" 0..10
            @repeat for 1m
              @if r > 5
                @pause 20s
              @else
                @pause 30s
            @repeat 3 times
              @write w "Go" for 10s
            """
        let chart = Self.chart(text)
        #expect(chart.nodes.first { $0.id == "l4" }?.lines == ["repeat for 1m", "time: 1m to 1m30s"])
        #expect(chart.nodes.first { $0.id == "l5" }?.lines == ["if r > 5", "time: 20s to 30s"])
        #expect(chart.nodes.first { $0.id == "l9" }?.lines == ["repeat 3 times", "time: 0s to 30s + 1 prompt"])
    }

    @Test func theSameExerciseGivesTheSameBytes() {
        let first = Self.chart(Self.everyEdge)
        for _ in 0..<5 {
            let again = Self.chart(Self.everyEdge)
            #expect(again.dot() == first.dot())
            #expect(again.mermaid() == first.mermaid())
        }
    }
}
