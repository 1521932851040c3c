// The character classes Hearth refuses, strips or replaces, written once. Each set is named
// for what it holds; the comment on each says who uses it and why that one differs from its
// neighbours. Sets meant for `.test()` have no `g` flag (a global regex remembers lastIndex
// between calls); the two meant for `.replace()` everywhere have it, and say so.

// Ranges, so each is written once and the sets below are unions of them.
const C0_AND_C1 = String.raw`\u0000-\u001F\u007F-\u009F`;
/** C0 and C1 without tab (U+0009) and newline (U+000A). */
const C0_AND_C1_BUT_TAB_AND_NEWLINE = String.raw`\u0000-\u0008\u000B-\u001F\u007F-\u009F`;
/** Bidi embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const BIDI = String.raw`\u202A-\u202E\u2066-\u2069`;

/**
 * C0 and C1 controls (Unicode's \p{Cc}): they drive terminals, not conversations. Room names
 * refuse all of them: a name is one line, shown in terminals, lists and window titles.
 */
export const CONTROL = new RegExp(`[${C0_AND_C1}]`);

/** The controls message text refuses: a message may hold several lines and tabs. */
export const CONTROL_BUT_TAB_AND_NEWLINE = new RegExp(`[${C0_AND_C1_BUT_TAB_AND_NEWLINE}]`);

/**
 * Every control, and the bidi controls that reorder what follows them: the room topic, one
 * line shown above everyone's conversation, must not make the rest of the screen read
 * backwards ("txt.exe" shown as "exe.txt").
 */
export const CONTROL_OR_BIDI = new RegExp(`[${C0_AND_C1}${BIDI}]`);

/**
 * Global, for `.replace()`: what the terminal client shows as a placeholder instead of
 * printing. Tab and newline print as themselves (a message may have lines); every other
 * control, and bidi controls, would reach the terminal as instructions.
 */
export const UNSAFE_IN_TERMINAL = new RegExp(`[${C0_AND_C1_BUT_TAB_AND_NEWLINE}${BIDI}]`, 'g');

/**
 * Global, for `.replace()`: runs of tabs and Unicode's line breaks (UAX #14's mandatory breaks:
 * LF, VT, FF, CR, NEL, LS, PS). A room name read from the network becomes one line with them
 * turned into spaces, before the invisible characters (NEL among them) are stripped.
 */
export const LINE_BREAKS_AND_TABS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/**
 * What a member list would show as nothing, or as something else: controls and format
 * characters (bidi controls, zero-width spaces and joiners, soft hyphen, tag characters),
 * line and paragraph separators, and everything Unicode itself lists as
 * Default_Ignorable_Code_Point (Hangul fillers, variation selectors, invisible operators…).
 * Three more have a blank glyph by design yet are in none of those classes, so they are
 * named: U+2800 BRAILLE PATTERN BLANK, U+16FE4 KHITAN SMALL SCRIPT FILLER and U+1D159
 * MUSICAL SYMBOL NULL NOTEHEAD. Display names refuse these (common/names.ts, which lets
 * emoji keep their joiners and selectors).
 */
export const INVISIBLE = /[\u{16FE4}\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800\u{1D159}]/u;

/**
 * Global, for `.replace()`: a terminal escape sequence as a whole (CSI "ESC [ … m", OSC
 * "ESC ] … BEL", or ESC and one character): removing only its ESC leaves "[31m" behind.
 */
// eslint-disable-next-line no-control-regex
export const ESCAPE_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]?|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[ -~]?|\u009b[0-?]*[ -/]*[@-~]?/g;
