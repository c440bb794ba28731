// Oniguruma (Debian's libonig-dev), the regex engine TextMate grammars are written for.
// Used only by the editor grammar's tests; nothing that ships links it.
#include <oniguruma.h>

// ONIG_ENCODING_UTF8 and ONIG_SYNTAX_DEFAULT are macros over C globals, which Swift cannot
// import (and Swift 6 rejects as shared mutable state): these accessors stand in for them.
static inline OnigEncoding attune_onig_utf8(void) { return ONIG_ENCODING_UTF8; }
static inline OnigSyntaxType *attune_onig_default_syntax(void) { return ONIG_SYNTAX_DEFAULT; }

/// Must run once before any other call.
static inline int attune_onig_initialize(void) {
    OnigEncoding encodings[1] = { ONIG_ENCODING_UTF8 };
    return onig_initialize(encodings, 1);
}

static inline OnigOptionType attune_onig_option_capture_group(void) { return ONIG_OPTION_CAPTURE_GROUP; }

/// onig_error_code_to_str is variadic, which Swift cannot call.
static inline int attune_onig_error_message(OnigUChar *buffer, int code, OnigErrorInfo *info) {
    return onig_error_code_to_str(buffer, code, info);
}
