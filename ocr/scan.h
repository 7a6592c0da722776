/* scan.h - the per-card recognition strategy (orientation, script,
 * languages) and the reader's extended entry point. Internal to ocr/. */
#ifndef OCR_SCAN_H
#define OCR_SCAN_H

#include "ocr/card_image.h"
#include "ocr/fields.h"
#include "ocr/ocr.h"
#include "firmware/formats/strbuf.h"
#include "ocr/tess.h"

typedef struct {
    int quarter_turns;  /* rotation applied (clockwise quarter turns) */
    char script[32];    /* OSD script name, "" when unknown */
    char langs[64];     /* Tesseract languages used for the final text */
    float conf;         /* mean line confidence of the final text */
    int numbers_in_doubt; /* numbers read again whose readings mostly disagreed */
    int unread_logo;      /* 1: big print the line detector found that no reader made out
                           * (a name in display type: ocr_fields_company_from_brand) */
} ocr_scan_info_t;

/* Load the engines every scan uses (called by ocr_reader_open). */
void ocr_scan_warm(ocr_tess_t *t);

/* Orient g (in place), pick languages, recognise into *lines. plain (may
 * be NULL) is the same card only made grey (ocr_card_img_t.plain): it is
 * turned as g is, and big print is read again from it. colour (NULL: none)
 * is its three channels (ocr_card_img_t.colour), turned and scaled with
 * plain: rows of marks nothing read are read again from them. blurred: g
 * was sharpened for blur (ocr_card_img_t.sharpened), and its big print is
 * blur, not specks: it is scaled down only from the higher bar. GR_OK,
 * GR_ERR_EMPTY (no text), GR_ERR_TIMEOUT, GR_ERR_NOMEM. */
int ocr_scan_card(ocr_tess_t *t, ocr_gray_t *g, ocr_gray_t *plain, ocr_gray_t colour[3], int blurred, double deadline,
                  ocr_lines_t *lines, ocr_scan_info_t *info);

/* Join lines that Tesseract cut out of one printed e-mail/web line: two
 * lines on the same row, of about the same height, touching or overlapping
 * (gap <= half a line height), one of them e-mail/web text (an '@', www,
 * http, a dotted word, or a final TLD word such as "Com"). The joined line
 * is left + " " + right with the union box. Returns the number of joins. */
int ocr_scan_join_contact_lines(ocr_lines_t *ls);

/* Vote between n readings of one line (texts[0] the first reading; NULL
 * entries are skipped): the e-mail/site (ocr_fields_contact_key) that most
 * readings hold wins, ties going to the higher summed confidence, then to
 * the first reading. Returns the index of the reading to keep (the first
 * when it holds the winner, else the winner's most confident reading), or
 * -1 when no reading holds an e-mail or site. *agree (may be NULL): the
 * number of readings that hold the winner. */
int ocr_scan_vote(const char *const *texts, const float *confs, int n, int *agree);

/* The digits of a number line as a comparable key ("(11) 2294-9484" ->
 * "1122949484"). Returns 1 when the text holds at least 6 digits (a phone
 * number or most of one), else 0 with key "". */
int ocr_scan_number_key(const char *text, char *key, size_t keylen);

/* Drop words of marks alone (no letter or digit: "|", "—", quotes) at
 * either end of t, in place: the edge of a band or a panel that a line
 * read from a crop cut in two takes in ("| AUTO SOCORRO"). */
void ocr_scan_trim_edge_marks(char *t);

/* 1 when every run of four digits or more of old (its dashes and dots
 * skipped) is among the digits of new_ (all of them, run together). */
int ocr_scan_keeps_numbers(const char *old, const char *new_);

/* ocr_scan_vote on ocr_scan_number_key: the digits most readings agree on. */
int ocr_scan_vote_numbers(const char *const *texts, const float *confs, int n, int *agree);

/* The band of rows of the box (x0, y0)-(x1, y1) of g where the print is:
 * rows with at least a quarter of the busiest row's light-to-dark steps,
 * the run around that row (a rule or bar under the text has few steps and
 * does not win). *ty0, *ty1: the band's rows [ty0, ty1). Returns its
 * height, 0 for an empty box. The re-reads crop to it and scale by it. */
int ocr_scan_text_band(const ocr_gray_t *g, int x0, int y0, int x1, int y1, int *ty0, int *ty1);

/* Number re-reading, exposed for the tests. A word of a number line: at
 * least one digit, and not more letters than digits + 1 ("9493-0", "(11)",
 * "ENR7-1" - a misread number - but not "Tel:" or "J1Ed"). */
int ocr_scan_numberish(const char *word);

/* 1 when a second reading of an all-capitals line, `reading`, is the line
 * `read` with more marks and nothing else changed: the same letters and
 * digits (fmt_u8_key equal), more letters outside ASCII ("AUTO PECAS" ->
 * "AUTO PEÇAS"). `read` with a small letter is no capitals line: 0. */
int ocr_scan_adds_marks(const char *read, const char *reading);

/* 1 when a row read in lang at confidence conf is kept for its words: its
 * confidence is 0.2 or more, every word of three letters or more is in
 * lang's word list, two or more, one of six letters or more, and it holds
 * two marks at most (pale print: am04's "Diretor Administrativo" read
 * right at 0.29). */
int ocr_scan_row_spells_words(ocr_tess_t *t, const char *lang, const char *text, float conf);

/* The print height the line detector's boxes are measured by: mh,
 * Tesseract's median line height, or the median of the detector's n box
 * heights dh (sorted in place) when that is lower (a box of Tesseract's
 * that holds two rows of print inflates mh). */
int ocr_scan_print_height(int mh, int *dh, size_t n);

/* The language a Latin card's lines show ("deu", "fra", "por", "spa") with
 * min_cues cues or more, more than any other; NULL when none does. Cues:
 * words (gmbh, rua, calle, ção...), and, counted twice, a country's calling
 * code ("+49") or domain (".de", also "@vantage de" with its dot read as a
 * space); another country's code or domain ("+39", "lumina.it") as many as
 * the winner's leaves none. */
const char *ocr_scan_latin_cues(const ocr_lines_t *ls, int min_cues);

/* 1 when word is written so in lang's spelling list or in the English one
 * (ocr_tess_spelling): the strict list of the accent mending (accents.h).
 * English's too, as a word of no mark that English spells so was printed
 * so: the brand `Falcon` on a Spanish card is no `Falcón` (render 9753,
 * photo 000). */
int ocr_scan_spelled(ocr_tess_t *t, const char *lang, const char *word);

/* 1 when t, a line the line detector found and the recogniser read, is a
 * phone number alone (8 digits or more, and only digits, spaces and
 * "-.()+/"): kept though it has no letters. */
int ocr_scan_number_only(const char *t);

/* What the lines of ls read at min_conf or more whose middle is in the
 * box bx,by,bw,bh hold: their letters and digits times their confidence,
 * summed; of two readings of the same print (one over half the other's
 * width) only the one that holds more counts ("Av. Sapopemba, 2449" under
 * "Av. Sapopemba, 2449 - Tel/Fax: 2966-"). */
float ocr_scan_held(const ocr_lines_t *ls, int bx, int by, int bw, int bh, float min_conf);

/* The word breaks of t, a line the recogniser read with no fair reading
 * of Tesseract's beside it (it runs words together): a space before a
 * capital after a small letter ("JoseCarlos"), after a comma or semicolon
 * before a letter or digit ("Radiadores,Condensadores"), and after the dot
 * of an abbreviation - a capital and up to two letters, no host's label
 * ('.', '@' or '/' before it) - before a small letter ("Av.do Cursino";
 * "S.A." stays).
 * malloc'd; NULL when out of memory. */
char *ocr_scan_run_together_breaks(const char *t);

/* t, a line the recogniser read, with each bullet read as a middle dot
 * or a bullet mark made a space ("\u00b7Av.Sapopemba" -> "Av.Sapopemba"),
 * runs of spaces made one and the spaces at its ends dropped; in place. */
void ocr_scan_drop_bullets(char *t);

/* The wider of the two ends of the box bx,by,bw,bh (a line the detector
 * found) that no line of ls read at min_conf or more reaches, counting
 * the lines in the box's row (their heights overlapping by half the
 * lower one's or more): its width, and its left and right x in *from and
 * *to; all of the box when no such line is in the row. */
int ocr_scan_open_end(int bx, int by, int bw, int bh, const ocr_lines_t *ls, float min_conf, int *from, int *to);

/* 1 when a turned reading of a card (confidence aconf, galt bytes of lines
 * read at 0.6 or more) replaces the one in hand (conf, glines): 0.1 more
 * confident with as much text read well; or, on pass 1 (English after the
 * Russian model took the card unturned) or when the reading in hand reads
 * under 10 bytes well, more confident at all with twice the text read
 * well, 20 bytes or more. */
int ocr_scan_turn_wins(int pass, float conf, float aconf, size_t glines, size_t galt);

/* 1 when won, an e-mail's key (ocr_fields_contact_key: "e:local@domain"),
 * is what is left of other's when its start, and maybe its domain's last
 * labels, were lost: won's local part the tail of other's longer one, its
 * domain other's or the first labels of it ("e:tima@hotmail.com" of
 * "e:floresnsfatima@hotmail.com", "e:ovida@microvida.com" of
 * "e:microvida@microvida.com.br"). Not when what other has more is an
 * e-mail label run into the address: a lone e ("e:ekumar@") or a start of
 * mail, email, e-mail ("e:emait.canderson@"). */
int ocr_scan_contact_cut_short(const char *won, const char *other);

/* 1 when won and other, two keys of the same kind and length, differ only
 * where won has an i and other an l, once or more ("e:kiee@biuewave.com.sg"
 * and "e:klee@bluewave.com.sg"). */
int ocr_scan_contact_l_as_i(const char *won, const char *other);

/* 1 when other, the line recogniser's key, is won (the vote's winner) or
 * won with an e-mail label's E run into it ("e:ebrian@lumina.com"): the
 * recogniser vouches for the winner. */
int ocr_scan_contact_same(const char *won, const char *other);

/* text, the line the vote's winner was read from, with its address (key
 * won, found in it without case) mended to other's: the lost start put
 * back before it (ocr_scan_contact_cut_short) or each i that other has as
 * an l made one, in the case it was read in (ocr_scan_contact_l_as_i).
 * malloc'd; NULL when won's address is not in text as it stands, or out
 * of memory. */
char *ocr_scan_put_lost_start(const char *text, const char *won, const char *other);
char *ocr_scan_put_l_for_i(const char *text, const char *won, const char *other);

/* 1 when key (ocr_fields_contact_key: "e:local@domain" or "w:host/path")
 * is a well-formed address: a local part of letters, digits and . _ + -
 * that starts and ends with a letter or digit; a host of two labels or
 * more, each of letters, digits and inner dashes, the last 2-6 letters. A
 * misread one ("e:ricknog3%@gmail.com", "w:ricknog3s~idgmail.com") is not,
 * and only then are an e-mail/site line's readings added to raw. */
int ocr_scan_key_well_formed(const char *key);

/* ocr_reader_scan plus, when text is not NULL, the recognised lines of each
 * card as a JSON array [{langs, text, qr}] (malloc'd, owned by the caller;
 * for `greeter cards text`). Either output may be NULL. */
int ocr_reader_scan_ex(ocr_reader_t *r, const void *img, size_t len, const char *region, char **json, char **text,
                       char *err, size_t errlen);

/* new_ (the second recogniser's reading of a contact line) with an e-mail
 * label that old (Tesseract's reading of the same line) has as its first
 * word ("E", "Email:"; ocr_fields_is_mail_label) set apart again where
 * new_ runs it into the address: "Ep.desmet@redwood.be" beside "E p
 * desmet.: redwood.be" gives "E p.desmet@redwood.be", "E:ana@x.pt" beside
 * "E: ana@x.pt" gives "E: ana@x.pt". Otherwise a copy of new_. malloc'd
 * (the caller frees); NULL when out of memory. */
char *ocr_scan_label_apart(const char *old, const char *new_);

/* new_ (a reading of a line by the second recogniser, which runs words
 * together, "HertrampfstraBe4", and knows no accents) with the word breaks
 * and the marked letters of old (Tesseract's reading of the same line) put
 * back: the two are aligned by edit distance over their characters without
 * spaces (a marked letter of old matching its base letter in new_, "ß"
 * matching B or s); each space of old goes before the character of new_
 * that follows the same place, and a marked letter of old replaces the
 * bare one new_ read there ("Industriestraße", "München"); new_'s own
 * spaces are kept (a string over 4096 bytes: new_ as it is). malloc'd (the
 * caller frees); NULL when out of memory. */
char *ocr_scan_second_reading(const char *old, const char *new_);

#endif
