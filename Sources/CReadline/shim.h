#ifndef ATTUNE_CREADLINE_SHIM_H
#define ATTUNE_CREADLINE_SHIM_H
#include <stdio.h>
#include <string.h>
#include <readline/readline.h>
#include <readline/history.h>

// Swift 6 refuses readline's C globals as shared mutable state, so every global attune
// touches goes through one of these accessors. attune uses readline from one thread only.

/// Sets readline up for attune's host loop, before the first prompt: attune reads signals
/// itself (so readline installs no handlers and does not touch LINES and COLUMNS),
/// completes the whole line (menu labels hold spaces) with `complete`, and keeps no
/// history: nothing here, or anywhere in attune, calls add_history or write_history.
static inline void attune_rl_setup(rl_completion_func_t *complete) {
    rl_readline_name = "attune";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_completer_word_break_characters = "";
    rl_completer_quote_characters = NULL;
    rl_attempted_completion_function = complete;
    rl_sort_completion_matches = 0;
    // Calm defaults; a person's ~/.inputrc, read when readline starts, still wins.
    rl_variable_bind("bell-style", "none");
    rl_variable_bind("completion-ignore-case", "on");
    rl_variable_bind("history-size", "0");
}

/// Inside the completion function: complete with exactly these matches, add nothing after.
static inline void attune_rl_completion_only(void) {
    rl_attempted_completion_over = 1;
    rl_completion_append_character = '\0';
}

static inline const char *attune_rl_line(void) { return rl_line_buffer; }
static inline int attune_rl_line_length(void) { return rl_end; }

/// Moves the cursor to the end of the line being typed, so what follows starts below it.
static inline void attune_rl_move_to_end(void) {
    rl_point = rl_end;
    rl_redisplay();
}

/// Empties the line buffer (an answer or a draft has been taken from it).
static inline void attune_rl_clear_line(void) {
    if (rl_line_buffer != NULL && rl_end > 0) memset(rl_line_buffer, 0, (size_t)rl_end);
    rl_end = 0;
    rl_point = 0;
    rl_mark = 0;
    if (rl_line_buffer != NULL) rl_line_buffer[0] = '\0';
}

static inline void attune_rl_flush(void) {
    fflush(rl_outstream != NULL ? rl_outstream : stdout);
}

#endif
