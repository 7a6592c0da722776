/* Card reader: re-reading e-mail and web lines and finding missed lines
 * (ocr/scan.c). Text fixtures taken from what Tesseract read on blurred
 * sample photos: the comparable key of a contact line, the vote between
 * several readings of one line, the joining of a line Tesseract cut in
 * two, the sharpened line crop the re-reads are made from, the rows of
 * text-like marks; then one real scan of a blurred photo (Tesseract). */
#include "tests/testutil.h"

#include "ocr/card_image.h"
#include "firmware/core/err.h"
#include "ocr/fields.h"
#include "firmware/core/log.h"
#include "ocr/scan.h"
#include "ocr/tess.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int px(const ocr_gray_t *g, int x, int y) { return g->pixels[(size_t)y * (size_t)g->width + (size_t)x]; }

/* A second reading of an all-capitals line is taken when it only adds
 * marks (am06's "AUTO PECAS" read at 1.5 times as AUTO PEÇAS): not when
 * a letter changed, when it has no more marks, or when the line has small
 * letters. */
static void capitals_gain_marks_only(void **state) {
    (void)state;
    assert_int_equal(ocr_scan_adds_marks("AUTO PECAS", "AUTO PEÇAS"), 1);
    assert_int_equal(ocr_scan_adds_marks("SAO PAULO", "SÃO PAULO"), 1);
    assert_int_equal(ocr_scan_adds_marks("| DOMÍNIO", "| DOMÍNIO AUTO"), 0);  /* more letters */
    assert_int_equal(ocr_scan_adds_marks("| DOMÍNIO", "| DOMINIO"), 0);       /* a mark lost */
    assert_int_equal(ocr_scan_adds_marks("PATUCAUTO", "BATUCAUTO"), 0);       /* a letter changed */
    assert_int_equal(ocr_scan_adds_marks("AUTO PECAS", "AUTO PECAS"), 0);     /* nothing new */
    assert_int_equal(ocr_scan_adds_marks("Auto Pecas", "Auto Peças"), 0);     /* not capitals */
    assert_int_equal(ocr_scan_adds_marks("", "Ç"), 0);
}

/* A w x h grey image of one shade v (freed with ocr_gray_free). */
static ocr_gray_t gray_filled(int w, int h, unsigned char v) {
    ocr_gray_t g = {0};
    g.width = w;
    g.height = h;
    g.pixels = malloc((size_t)w * (size_t)h);
    assert_non_null(g.pixels);
    memset(g.pixels, v, (size_t)w * (size_t)h);
    return g;
}

static void key_is(const char *text, const char *want) {
    char key[300];
    int has = ocr_fields_contact_key(text, key, sizeof key);
    if (want) {
        assert_int_equal(has, 1);
        assert_string_equal(key, want);
    } else {
        assert_int_equal(has, 0);
        assert_string_equal(key, "");
    }
}

static void contact_keys(void **state) {
    (void)state;
    key_is("E: jason@hernandezbrook.com", "e:jason@hernandezbrook.com");
    key_is("Email jonesc @berrysinciaz co.uk", "e:jonesc@berrysinciaz.co.uk");
    key_is("grossc @tay lorstanton.com", "e:grossc@taylorstanton.com");
    /* sites compare without scheme, www. and a final slash */
    key_is("W: https://nernandezbrook.com", "w:nernandezbrook.com");
    key_is("Web: www.berrysinclair.co.uk/", "w:berrysinclair.co.uk");
    key_is("www.berrysinclair.co.uk", "w:berrysinclair.co.uk");
    /* no e-mail or site: handles, phones, words, a lost '@' */
    key_is("@c_jones", NULL);
    key_is("Phone: +44 (0)20 8813 3762", NULL);
    key_is("Innovation that matters", NULL);
    key_is("_ thneswtoddsantos Com", NULL);
    key_is("", NULL);
    key_is(NULL, NULL);
    char tiny[3];
    assert_int_equal(ocr_fields_contact_key("a@b.com", tiny, sizeof tiny), 0);
    /* "wwwx": the dot is put in only while the line's copy has room
     * (a line as long as the copy overflowed it; found by fuzz_ocr_fields) */
    char longline[700], key[300];
    memset(longline, 'x', sizeof longline - 1);
    longline[sizeof longline - 1] = '\0';
    for (size_t at = 505; at < 512; at++) {
        memset(longline, 'x', sizeof longline - 1);
        memcpy(longline + at, "www", 3);
        (void)ocr_fields_contact_key(longline, key, sizeof key);
    }
}

/* 028.jpg: the first pass read h as m; single-line re-reads of the
 * sharpened crop read it right more often than not. */
static void vote_majority_beats_first_reading(void **state) {
    (void)state;
    const char *t[] = {"E: jason@hermandezbrook.com", "E: jason@hernandezbrook.com", "E: jason@herandezbrook.com",
                       "E: jason@hernandezbrook.com", "E: jason@hernandezbrook.com"};
    const float c[] = {0.66f, 0.91f, 0.69f, 0.90f, 0.91f};
    int agree = 0;
    int k = ocr_scan_vote(t, c, 5, &agree);
    assert_true(k == 1 || k == 4); /* the most confident of the winners */
    assert_int_equal(agree, 3);
    /* the first reading is kept when it holds the winner */
    const char *t2[] = {"E: jason@hernandezbrook.com", "E: jason@hermandezbrook.com", "E: jason@hernandezbrook.com"};
    const float c2[] = {0.60f, 0.95f, 0.70f};
    assert_int_equal(ocr_scan_vote(t2, c2, 3, &agree), 0);
    assert_int_equal(agree, 2);
}

/* 042.jpg: the first pass lost the '@' (no e-mail at all); two re-reads
 * agree, the others are noise that votes for nothing. */
static void vote_recovers_lost_email(void **state) {
    (void)state;
    const char *t[] = {"_ thneswtoddsantos Com", "¢ james@toddsantos.com", NULL, "0 James @toddsantos.com",
                       "_ james toddsantos Com"};
    const float c[] = {0.0f, 0.31f, 0.0f, 0.48f, 0.25f};
    int agree = 0;
    assert_int_equal(ocr_scan_vote(t, c, 5, &agree), 3);
    assert_int_equal(agree, 2);
    char key[300];
    assert_true(ocr_fields_contact_key(t[3], key, sizeof key));
    assert_string_equal(key, "e:james@toddsantos.com");
}

static void vote_ties_and_nothing(void **state) {
    (void)state;
    /* one vote each: the higher confidence wins */
    const char *t[] = {"anna@kern.de", "anna@kem.de"};
    const float lo[] = {0.5f, 0.8f}, eq[] = {0.6f, 0.6f};
    int agree = 0;
    assert_int_equal(ocr_scan_vote(t, lo, 2, &agree), 1);
    assert_int_equal(agree, 1);
    /* a full tie keeps the first reading */
    assert_int_equal(ocr_scan_vote(t, eq, 2, &agree), 0);
    /* nothing to vote on */
    const char *none[] = {"Innovation that matters", NULL, "@handle"};
    const float c3[] = {0.9f, 0.9f, 0.9f};
    assert_int_equal(ocr_scan_vote(none, c3, 3, &agree), -1);
    assert_int_equal(agree, 0);
    assert_int_equal(ocr_scan_vote(none, c3, 0, NULL), -1);
}

/* Number lines vote on their digits: the page reading of cards_real/am02
 * broke "9.9679-9468" in two with junk around it; tight crops read it
 * whole. Fewer than 6 digits is no number to vote on. */
static void number_keys_and_vote(void **state) {
    (void)state;
    char key[300];
    assert_int_equal(ocr_scan_number_key("(11) 2294-9484", key, sizeof key), 1);
    assert_string_equal(key, "1122949484");
    assert_int_equal(ocr_scan_number_key("i bel 9-9679- \u201c9468. tse.", key, sizeof key), 1);
    assert_string_equal(key, "996799468");
    assert_int_equal(ocr_scan_number_key("Tel/Fax: 2966-", key, sizeof key), 0);
    assert_string_equal(key, "");
    assert_int_equal(ocr_scan_number_key(NULL, key, sizeof key), 0);
    char tiny[4];
    assert_int_equal(ocr_scan_number_key("1234567", tiny, sizeof tiny), 0);
    /* am06: "Tel/Fax: 2966-" and "ENR7-1" in the page reading; crops of
     * the row with the unread "2550" agree */
    const char *t[] = {"2966- ENR7-1", "2966-2550", "2966-2550", "2966 2550"};
    const float c[] = {0.55f, 0.90f, 0.93f, 0.80f};
    int agree = 0;
    assert_int_equal(ocr_scan_vote_numbers(t, c, 4, &agree), 2);
    assert_int_equal(agree, 3);
    const char *none[] = {"Tel:", "2966-", NULL};
    assert_int_equal(ocr_scan_vote_numbers(none, c, 3, &agree), -1);
    /* words of a number line */
    assert_int_equal(ocr_scan_numberish("9493-0"), 1);
    assert_int_equal(ocr_scan_numberish("(11)"), 1);
    assert_int_equal(ocr_scan_numberish("ENR7-1"), 1);
    assert_int_equal(ocr_scan_numberish("Tel/Fax:"), 0);
    assert_int_equal(ocr_scan_numberish("J1Ed"), 0);
    assert_int_equal(ocr_scan_numberish("-"), 0);
    /* a number line read as junk words is read again; the new reading
     * must keep every number of four digits or more the line held
     * (cards_real am22: "Pabx: yas teen 2 Fax:2131-3418") */
    assert_int_equal(ocr_scan_keeps_numbers("Pabx: yas teen 2 Fax:2131-3418", "Pabx:(11) 2131-3400 > Fax: 2131-3418"), 1);
    assert_int_equal(ocr_scan_keeps_numbers("Pabx: yas teen 2 Fax:2131-3418", "Pabx:(11) 2131-3400 > Fax: 2131-3448"), 0);
    assert_int_equal(ocr_scan_keeps_numbers("Tel 2966.2550", "Tel 2966-2550"), 1);
    assert_int_equal(ocr_scan_keeps_numbers("Tel 2966.2550", "Tel 2966 255"), 0);
    /* short runs (an area code, a house number) need not survive */
    assert_int_equal(ocr_scan_keeps_numbers("(11) yas 283", "junk"), 1);
    assert_int_equal(ocr_scan_keeps_numbers("", ""), 1);
}

/* The band of print inside a swollen box: strokes of text (rows 40-69)
 * over a thick bar (rows 80-94, darker in sum than any text row) and a
 * speck above. The band is the text, not the bar. */
static void text_band_skips_bars(void **state) {
    (void)state;
    ocr_gray_t g = gray_filled(300, 120, 250);
    for (int y = 40; y < 70; y++)
        for (int x = 10; x < 290; x++)
            if ((x / 4) % 3 == 0) g.pixels[y * 300 + x] = 20; /* 4-px strokes, 8-px gaps */
    for (int y = 80; y < 95; y++) memset(g.pixels + y * 300 + 5, 20, 290);
    for (int y = 10; y < 14; y++) memset(g.pixels + y * 300 + 100, 20, 4);
    int y0 = -1, y1 = -1;
    assert_int_equal(ocr_scan_text_band(&g, 0, 0, 300, 120, &y0, &y1), 30);
    assert_int_equal(y0, 40);
    assert_int_equal(y1, 70);
    assert_int_equal(ocr_scan_text_band(&g, 0, 0, 1, 120, &y0, &y1), 0);
    ocr_gray_free(&g);
}

/* 008.jpg: Tesseract returned "grossc" and "@tay lorstanton.com" as two
 * lines with overlapping boxes; the e-mail was lost. */
static void join_split_email_line(void **state) {
    (void)state;
    ocr_lines_t ls = {0};
    assert_int_equal(ocr_lines_add(&ls, "Taylor-Stanton", 0.91f, 549, 71, 313, 48), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "Cynthia Gross", 0.96f, 501, 154, 414, 66), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "T: 939.760.4884", 0.90f, 587, 291, 241, 43), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "M: 341-820-2382", 0.82f, 582, 337, 255, 27), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "grossc", 0.60f, 517, 376, 315, 37), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "@tay lorstanton.com", 0.63f, 618, 372, 284, 45), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "www laylorstanton.com", 0.76f, 534, 413, 349, 42), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "Port Loriland, AZ 90001", 0.92f, 530, 494, 356, 46), GR_OK);
    assert_int_equal(ocr_scan_join_contact_lines(&ls), 1);
    assert_int_equal(ls.n, 7);
    assert_string_equal(ls.v[4].text, "grossc @tay lorstanton.com");
    assert_int_equal(ls.v[4].x, 517);
    assert_int_equal(ls.v[4].y, 372);
    assert_int_equal(ls.v[4].w, 902 - 517);
    assert_int_equal(ls.v[4].h, 417 - 372);
    json_t *o = ocr_fields_parse(&ls, "US");
    assert_non_null(o);
    json_t *em = json_object_get(o, "emails");
    assert_int_equal(json_array_size(em), 1);
    assert_string_equal(json_string_value(json_array_get(em, 0)), "grossc@taylorstanton.com");
    json_decref(o);
    ocr_lines_free(&ls);
}

/* A line as Tesseract boxed it. */
typedef struct {
    const char *text;
    float conf;
    int x, y, w, h;
} piece_t;

/* Pieces a and b added to ls (empty) and joined: into one line that reads
 * want, or (want NULL) not at all. */
static void join_pieces(ocr_lines_t *ls, piece_t a, piece_t b, const char *want) {
    assert_int_equal(ocr_lines_add(ls, a.text, a.conf, a.x, a.y, a.w, a.h), GR_OK);
    assert_int_equal(ocr_lines_add(ls, b.text, b.conf, b.x, b.y, b.w, b.h), GR_OK);
    assert_int_equal(ocr_scan_join_contact_lines(ls), want ? 1 : 0);
    assert_int_equal(ls->n, want ? 1 : 2);
    if (want) assert_string_equal(ls->v[0].text, want);
}

/* 042.jpg: the e-mail line came back as a word and a separate "Com". */
static void join_tld_fragment(void **state) {
    (void)state;
    ocr_lines_t ls = {0};
    join_pieces(&ls, (piece_t){"_ thneswtoddsantos", 0.0f, 689, 176, 342, 32}, (piece_t){"Com", 0.77f, 978, 172, 56, 41},
                "_ thneswtoddsantos Com");
    ocr_lines_free(&ls);
}

/* Which voted address is no well-formed one (and so is read raw too). */
static void well_formed_keys(void **state) {
    (void)state;
    const char *good[] = {"e:ricknog39@gmail.com", "e:a.almeida@redwoodanalytics.com.br", "e:j_smith+cards@x-y.de",
                          "w:cargocollective.com/nogdesign", "w:nog.carbonmade.com", "w:schulz-energie.de", NULL};
    const char *bad[] = {"e:ricknog3%@gmail.com", "w:ricknog3s~idgmail.com", "e:.anna@x.com", "e:anna@x",
                         "e:anna@x.c0m", "e:anna@-x.com", "e:anna@x..com", "w:x.abcdefg", "w:com", "e:@x.com",
                         "x:anna@x.com", "", NULL};
    for (int k = 0; good[k]; k++) assert_true(ocr_scan_key_well_formed(good[k]));
    for (int k = 0; bad[k]; k++) assert_false(ocr_scan_key_well_formed(bad[k]));
    assert_false(ocr_scan_key_well_formed(NULL));
}

/* A hand-held render (ocr_cards2 1111, 005.jpg): the local part and an
 * '@' half whose sign stands half again as tall (27 and 40 px); without
 * the '@' at the seam such sizes stay apart. */
static void join_at_seam(void **state) {
    (void)state;
    ocr_lines_t ls = {0};
    join_pieces(&ls, (piece_t){"emartin", 0.68f, 85, 584, 273, 27}, (piece_t){"@ cobalt fr", 0.57f, 211, 580, 150, 40},
                "emartin @ cobalt fr");
    json_t *o = ocr_fields_parse(&ls, "FR");
    assert_non_null(o);
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "emails"), 0)), "emartin@cobalt.fr");
    json_decref(o);
    ocr_lines_free(&ls);
    join_pieces(&ls, (piece_t){"emartin", 0.68f, 85, 584, 273, 27}, (piece_t){"cobalt.fr", 0.57f, 211, 580, 150, 40}, NULL);
    ocr_lines_free(&ls);
}

/* What must stay apart: a name and the e-mail in the next column (005.jpg,
 * split at the column gap by tess.c), lines of another row, lines of very
 * different size, phone lines, lines without boxes. */
static void join_keeps_columns_apart(void **state) {
    (void)state;
    ocr_lines_t ls = {0};
    assert_int_equal(ocr_lines_add(&ls, "Никита Аксенов", 0.96f, 74, 217, 621, 52), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "aksenovn@gavrilova.ru", 0.89f, 720, 223, 428, 36), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "gavrilova.ru", 0.92f, 720, 268, 215, 36), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "JAMES FLYNN", 0.97f, 63, 300, 338, 90), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "x.com", 0.97f, 380, 320, 100, 30), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "Tel 030 1234567", 0.9f, 100, 400, 200, 30), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "a@b.de", 0.9f, 290, 400, 100, 30), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "www", 0.9f, 0, 0, 0, 0), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "x.de", 0.9f, 0, 0, 0, 0), GR_OK);
    assert_int_equal(ocr_scan_join_contact_lines(&ls), 0);
    assert_int_equal(ls.n, 9);
    ocr_lines_free(&ls);
}


/* The crop the re-reads use: box + margin, scaled, sharpened, framed white. */
static void line_crop(void **state) {
    (void)state;
    ocr_gray_t g = gray_filled(200, 100, 0);
    /* a soft edge: 200 left of x=100, 60 right of it, ramp in between */
    for (int y = 0; y < 100; y++)
        for (int x = 0; x < 200; x++) g.pixels[y * 200 + x] = (unsigned char)(x < 96 ? 200 : x > 104 ? 60 : 200 - (x - 96) * 140 / 8);
    ocr_gray_t c = {0};
    assert_int_equal(ocr_gray_line_crop(&g, 80, 40, 40, 20, 2, 1.0, 0, 0, 10, &c), GR_OK);
    assert_int_equal(c.width, 44 + 20);
    assert_int_equal(c.height, 24 + 20);
    assert_int_equal(px(&c, 0, 0), 255); /* the white frame */
    assert_int_equal(px(&c, 10, 20), 200);
    ocr_gray_t s = {0};
    assert_int_equal(ocr_gray_line_crop(&g, 80, 40, 40, 20, 2, 1.5, 0, 0, 0, &s), GR_OK);
    assert_int_equal(s.width, 66);
    assert_int_equal(s.height, 36);
    ocr_gray_free(&s);
    /* sharpening steepens the edge: darker on the dark side, lighter on the light side */
    ocr_gray_t u = {0};
    assert_int_equal(ocr_gray_line_crop(&g, 80, 40, 40, 20, 2, 1.0, 3, 1.2, 10, &u), GR_OK);
    int xd = 10 + 2 + (106 - 80), xl = 10 + 2 + (94 - 80);
    assert_true(px(&u, xd, 20) < px(&c, xd, 20));
    assert_true(px(&u, xl, 20) > px(&c, xl, 20));
    ocr_gray_free(&u);
    ocr_gray_free(&c);
    /* a box clipped to the image, and boxes with nothing in them */
    assert_int_equal(ocr_gray_line_crop(&g, 190, 90, 50, 50, 2, 1.0, 0, 0, 0, &c), GR_OK);
    assert_int_equal(c.width, 12);
    assert_int_equal(c.height, 12);
    ocr_gray_free(&c);
    assert_int_equal(ocr_gray_line_crop(&g, 300, 10, 20, 20, 2, 1.0, 0, 0, 0, &c), GR_ERR_INVAL);
    assert_null(c.pixels);
    assert_int_equal(ocr_gray_line_crop(&g, 10, 10, 0, 20, 2, 1.0, 0, 0, 0, &c), GR_ERR_INVAL);
    assert_int_equal(ocr_gray_line_crop(&g, 10, 10, 20, 20, 2, 9.0, 0, 0, 0, &c), GR_ERR_INVAL);
    ocr_gray_free(&g);
}

/* The crop cut in two: a letter shaded from light to dark on a black
 * ground (metallic logo type) becomes solid black on white; a dark letter
 * on a light ground stays dark; no box, no crop. */
static void line_crop_binary(void **state) {
    (void)state;
    ocr_gray_t g = gray_filled(200, 100, 15);
    /* a block 40..160 x 30..70, shaded 250 at its top to 110 at its bottom */
    for (int y = 30; y < 70; y++)
        for (int x = 40; x < 160; x++) g.pixels[y * 200 + x] = (unsigned char)(250 - (y - 30) * 140 / 40);
    ocr_gray_t b = {0};
    assert_int_equal(ocr_gray_line_crop_binary(&g, 30, 20, 140, 60, 4, 1.0, 10, &b), GR_OK);
    assert_int_equal(b.width, 148 + 20);
    assert_int_equal(b.height, 68 + 20);
    assert_int_equal(px(&b, 0, 0), 255);            /* the white frame */
    assert_int_equal(px(&b, 10 + 2, 10 + 2), 255);  /* the black ground, made white */
    assert_int_equal(px(&b, 10 + 4 + 60, 10 + 4 + 12), 0);  /* the block's light top, black */
    assert_int_equal(px(&b, 10 + 4 + 60, 10 + 4 + 48), 0);  /* and its dark bottom */
    ocr_gray_free(&b);
    /* dark print on a light ground keeps its sides */
    for (size_t i = 0; i < 200 * 100; i++) g.pixels[i] = (unsigned char)(255 - g.pixels[i]);
    assert_int_equal(ocr_gray_line_crop_binary(&g, 30, 20, 140, 60, 4, 1.5, 0, &b), GR_OK);
    assert_int_equal(px(&b, 3, 3), 255);
    assert_int_equal(px(&b, (4 + 70) * 3 / 2, (4 + 30) * 3 / 2), 0);
    ocr_gray_free(&b);
    assert_int_equal(ocr_gray_line_crop_binary(&g, 300, 10, 20, 20, 2, 1.0, 0, &b), GR_ERR_INVAL);
    assert_null(b.pixels);
    ocr_gray_free(&g);
}

/* The crop cut at one of its three-class thresholds: black bars outlined
 * in white on a dark blue band (cards_real am11's "AUTO SOCORRO", here its
 * blue channel: bars 20, rims 250, band 85) come out solid black on white
 * at level 0, where Otsu's single threshold puts bars and band together;
 * at level 1 the rims are the print. No box, no crop. */
static void line_crop_levels(void **state) {
    (void)state;
    ocr_gray_t g = gray_filled(240, 60, 85);
    for (int y = 14; y < 46; y++)
        for (int x = 0; x < 240; x++) {
            int xm = x % 24, rim = xm >= 4 && xm < 18, bar = y >= 18 && y < 42 && xm >= 7 && xm < 15;
            if (bar) g.pixels[y * 240 + x] = 20;
            else if (rim) g.pixels[y * 240 + x] = 250;
        }
    ocr_gray_t b = {0};
    assert_int_equal(ocr_gray_line_crop_levels(&g, 0, 5, 240, 50, 0, 1.0, 0, 5, &b), GR_OK);
    assert_int_equal(b.width, 250);
    assert_int_equal(b.height, 60);
    assert_int_equal(px(&b, 5 + 2, 5 + 25), 255);  /* the band: ground */
    assert_int_equal(px(&b, 5 + 5, 5 + 25), 255);  /* a rim: ground */
    assert_int_equal(px(&b, 5 + 10, 5 + 25), 0);   /* a bar: print */
    assert_int_equal(px(&b, 5 + 106, 5 + 25), 0);  /* and the fifth */
    ocr_gray_free(&b);
    assert_int_equal(ocr_gray_line_crop_levels(&g, 0, 5, 240, 50, 0, 1.0, 1, 5, &b), GR_OK);
    assert_int_equal(px(&b, 5 + 2, 5 + 25), 255);  /* the band: ground */
    assert_int_equal(px(&b, 5 + 5, 5 + 25), 0);    /* the rims are the print now */
    assert_int_equal(px(&b, 5 + 10, 5 + 25), 255);
    ocr_gray_free(&b);
    /* one threshold: the bars go with the band */
    assert_int_equal(ocr_gray_line_crop_binary(&g, 0, 5, 240, 50, 0, 1.0, 5, &b), GR_OK);
    assert_int_equal(px(&b, 5 + 10, 5 + 25), px(&b, 5 + 2, 5 + 25));
    ocr_gray_free(&b);
    assert_int_equal(ocr_gray_line_crop_levels(&g, 300, 10, 20, 20, 2, 1.0, 0, 0, &b), GR_ERR_INVAL);
    assert_null(b.pixels);
    ocr_gray_free(&g);
}

/* The crop with its light evened out: light bars on a band that is dark
 * on the left and, under a glossy highlight, light grey on the right
 * (cards_real am13's AUTO SOCORRO: bars 200 on 40, then 240 on 200) come
 * out black on white on both sides, where Otsu's one threshold puts the
 * right side's bars with their ground. No box, no crop. */
static void line_crop_flat(void **state) {
    (void)state;
    ocr_gray_t g = gray_filled(240, 60, 40);
    for (int y = 0; y < 60; y++)
        for (int x = 0; x < 240; x++) {
            int glare = x >= 120, bar = y >= 15 && y < 45 && x % 24 >= 8 && x % 24 < 16;
            g.pixels[y * 240 + x] = (unsigned char)(bar ? (glare ? 240 : 200) : (glare ? 200 : 40));
        }
    ocr_gray_t b = {0};
    assert_int_equal(ocr_gray_line_crop_flat(&g, 0, 5, 240, 50, 0, 1.0, 5, &b), GR_OK);
    assert_int_equal(b.width, 250);
    assert_int_equal(b.height, 60);
    assert_int_equal(px(&b, 0, 0), 255);               /* the white frame */
    assert_int_equal(px(&b, 5 + 2, 5 + 25), 255);      /* the dark band: ground */
    assert_int_equal(px(&b, 5 + 10, 5 + 25), 0);       /* a bar on it: print */
    assert_int_equal(px(&b, 5 + 140, 5 + 25), 255);    /* the band under the glare: ground */
    assert_int_equal(px(&b, 5 + 154, 5 + 25), 0);      /* a bar there: print */
    assert_int_equal(px(&b, 5 + 226, 5 + 25), 0);      /* and the last */
    ocr_gray_free(&b);
    /* one threshold: the bars under the glare go with their ground */
    assert_int_equal(ocr_gray_line_crop_binary(&g, 0, 5, 240, 50, 0, 1.0, 5, &b), GR_OK);
    assert_int_equal(px(&b, 5 + 154, 5 + 25), px(&b, 5 + 140, 5 + 25));
    ocr_gray_free(&b);
    assert_int_equal(ocr_gray_line_crop_flat(&g, 300, 10, 20, 20, 2, 1.0, 0, &b), GR_ERR_INVAL);
    assert_null(b.pixels);
    ocr_gray_free(&g);
}

/* Words of marks alone at a line's ends are the edge of a band, not text. */
static void edge_marks_trimmed(void **state) {
    (void)state;
    const char *cases[][2] = {{"| AUTO SOCORRO", "AUTO SOCORRO"},
                              {"AUTO SOCORRO |", "AUTO SOCORRO"},
                              {"\xE2\x80\x94 | R. OLIVEIRA !", "R. OLIVEIRA"},
                              {"'Tel: 2131-3400 -", "Tel: 2131-3400"},
                              {"R. OLIVEIRA", "R. OLIVEIRA"},
                              {"A | B", "A | B"},
                              {"|", "|"},
                              {"", ""}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", cases[i][0]);
        ocr_scan_trim_edge_marks(buf);
        assert_string_equal(buf, cases[i][1]);
    }
}

/* The crop cut in two by a local threshold: white bars running from a
 * black ground onto a mid-grey one (letters from a dark panel onto a
 * photo) come out black on white along the whole line, made dark by the
 * clean card (ref, dark bars on white); one Otsu threshold loses the bars
 * on the grey. A ref of another size is refused. */
static void line_crop_local(void **state) {
    (void)state;
    ocr_gray_t g = gray_filled(240, 60, 0), ref = gray_filled(240, 60, 0);
    for (int y = 0; y < 60; y++)
        for (int x = 0; x < 240; x++) {
            int bar = y >= 20 && y < 40 && x % 20 >= 6 && x % 20 < 12;
            g.pixels[y * 240 + x] = (unsigned char)(bar ? 250 : x < 120 ? 10 : 170);
            ref.pixels[y * 240 + x] = (unsigned char)(bar ? 20 : 235);
        }
    ocr_gray_t b = {0};
    assert_int_equal(ocr_gray_line_crop_local(&g, &ref, 0, 10, 240, 40, 0, 1.0, 5, &b), GR_OK);
    assert_int_equal(b.width, 250);
    assert_int_equal(b.height, 50);
    assert_int_equal(px(&b, 5 + 35, 5 + 20), 255);  /* ground on black */
    assert_int_equal(px(&b, 5 + 215, 5 + 20), 255); /* ground on grey */
    assert_int_equal(px(&b, 5 + 47, 5 + 20), 0);    /* a bar on black */
    assert_int_equal(px(&b, 5 + 187, 5 + 20), 0);   /* a bar on grey */
    ocr_gray_free(&b);
    /* Otsu's single threshold: the grey ground goes with the bars */
    assert_int_equal(ocr_gray_line_crop_binary(&g, 0, 10, 240, 40, 0, 1.0, 5, &b), GR_OK);
    assert_int_equal(px(&b, 5 + 187, 5 + 20), px(&b, 5 + 215, 5 + 20));
    ocr_gray_free(&b);
    ref.width = 200;
    assert_int_equal(ocr_gray_line_crop_local(&g, &ref, 0, 10, 240, 40, 0, 1.0, 5, &b), GR_ERR_INVAL);
    assert_null(b.pixels);
    ocr_gray_free(&g);
    ocr_gray_free(&ref);
}

/* Rows of "letters" (dark blocks) are found as rows; a big dark block
 * (a logo) and specks are not text. */
static void text_rows(void **state) {
    (void)state;
    ocr_gray_t g = gray_filled(600, 300, 250);
    /* row 1: 8 letters 14x20 at y=40, x from 100; row 2: 5 letters at y=150, x from 300 */
    for (int k = 0; k < 8; k++)
        for (int y = 40; y < 60; y++)
            for (int x = 100 + k * 20; x < 114 + k * 20; x++) g.pixels[y * 600 + x] = 20;
    for (int k = 0; k < 5; k++)
        for (int y = 150; y < 170; y++)
            for (int x = 300 + k * 20; x < 314 + k * 20; x++) g.pixels[y * 600 + x] = 20;
    for (int y = 200; y < 290; y++) /* a logo: 90x90 */
        for (int x = 20; x < 110; x++) g.pixels[y * 600 + x] = 10;
    int *b = NULL, n = 0;
    assert_int_equal(ocr_gray_text_rows(&g, &b, &n), GR_OK);
    assert_int_equal(n, 2);
    for (int i = 0; i < n; i++) {
        int x = b[4 * i], y = b[4 * i + 1], w = b[4 * i + 2], h = b[4 * i + 3];
        int row1 = y <= 40 && y + h >= 60 && x <= 100 && x + w >= 254 && x + w <= 264;
        int row2 = y <= 150 && y + h >= 170 && x <= 300 && x + w >= 394 && x + w <= 404;
        assert_true(row1 || row2);
        assert_true(h < 30);
    }
    free(b);
    /* nothing text-like */
    memset(g.pixels, 250, 600 * 300);
    assert_int_equal(ocr_gray_text_rows(&g, &b, &n), GR_OK);
    assert_int_equal(n, 0);
    assert_null(b);
    ocr_gray_t tiny = {g.pixels, 8, 8};
    assert_int_equal(ocr_gray_text_rows(&tiny, &b, &n), GR_ERR_INVAL);
    ocr_gray_free(&g);
}

/* 008.jpg through Tesseract: the page reading cuts the e-mail line in two
 * and drops the title line "Gaffer"; the scan joins and re-reads the
 * e-mail and reads the missed row. The name's line reads raw as well. */
/* The English reader (the test is skipped without it). */
static ocr_tess_t *open_eng(void) {
    ocr_tess_t *t = NULL;
    char err[256] = "";
    if (ocr_tess_open(NULL, "eng", &t, err, sizeof err) != GR_OK) skip();
    return t;
}

/* The one card of the photo img (len bytes), prepared as the reader does. */
static ocr_card_img_t *prepare_one(const char *img, size_t len) {
    char err[256] = "";
    ocr_image_opts_t o = {4, 50, 26, 0, 0};
    ocr_card_img_t *cards = NULL;
    int n = 0;
    assert_int_equal(ocr_image_prepare(img, len, &o, &cards, &n, err, sizeof err), GR_OK);
    assert_int_equal(n, 1);
    return cards;
}

static void scan_of_blurred_photo(void **state) {
    (void)state;
    ocr_tess_t *t = open_eng();
    size_t len;
    char *img = tu_slurp(tu_data("cards/008.jpg"), &len);
    ocr_card_img_t *cards = prepare_one(img, len);
    ocr_lines_t ls = {0};
    ocr_scan_info_t info;
    assert_int_equal(
        ocr_scan_card(t, &cards[0].gray, &cards[0].plain, cards[0].colour, cards[0].sharpened, gr_now_mono() + 60, &ls, &info), GR_OK);
    int email = 0, name = -1, title = -1, phone = -1;
    for (size_t i = 0; i < ls.n; i++) {
        char key[300];
        if (ocr_fields_contact_key(ls.v[i].text, key, sizeof key) && !strcmp(key, "e:grossc@taylorstanton.com")) email++;
        if (strstr(ls.v[i].text, "Cynthia Gross")) name = (int)i;
        if (strstr(ls.v[i].text, "939.760.4884")) phone = (int)i;
    }
    assert_int_equal(email, 1);
    assert_true(name >= 0 && phone >= 0);
    /* a line between the name and the first phone line: the title */
    int name_bottom = ls.v[name].y + ls.v[name].h, phone_top = ls.v[phone].y;
    for (size_t i = 0; i < ls.n; i++) {
        int cy = ls.v[i].y + ls.v[i].h / 2;
        if (cy > name_bottom && cy < phone_top) title = (int)i;
    }
    assert_true(title >= 0);
    assert_int_equal(strncmp(ls.v[title].text, "Ga", 2), 0);
    /* the name's line read again as one line without Tesseract's line
     * finding (the contact vote's raw readings); no other segmentation */
    ocr_gray_t crop = {0};
    const ocr_line_t *nl = &ls.v[name];
    assert_int_equal(ocr_gray_line_crop(&cards[0].gray, nl->x, nl->y, nl->w, nl->h, 2, 1.0, 2, 0.7, 12, &crop), GR_OK);
    char *text = NULL;
    float conf = 0;
    assert_int_equal(ocr_tess_read_line_image_psm(t, "eng", &crop, OCR_PSM_RAW_LINE, gr_now_mono() + 60, &text, &conf),
                     GR_OK);
    assert_non_null(text);
    assert_non_null(strstr(text, "Cynthia Gross"));
    assert_true(conf > 0.5f);
    free(text);
    text = NULL;
    assert_int_equal(ocr_tess_read_line_image_psm(t, "eng", &crop, 3, gr_now_mono() + 60, &text, &conf), GR_ERR_INVAL);
    assert_null(text);
    ocr_gray_free(&crop);
    ocr_lines_free(&ls);
    ocr_card_imgs_free(cards, 1);
    free(img);
    ocr_tess_close(t);
}

/* cards_real/am06.jpg: the ends of the phone lines are faint; the page
 * reading loses "2550" and "1991" and cuts "3123-0800" into "9493-0" and
 * "800". The number re-reads crop the row of marks and read all four. */
/* A missed row read in the card's language is kept for its words when
 * its confidence undersells it; noise, one word or short words are not. */
static void rows_kept_for_their_words(void **state) {
    (void)state;
    ocr_tess_t *t = NULL;
    char err[256] = "";
    if (ocr_tess_open(NULL, "eng+por", &t, err, sizeof err) != GR_OK) skip();
    assert_true(ocr_scan_row_spells_words(t, "por", "Diretor Administrativo", 0.29f));
    assert_true(ocr_scan_row_spells_words(t, "por", "Gerente de Negócios", 0.3f));
    assert_false(ocr_scan_row_spells_words(t, "por", "Diretor Administrativo", 0.1f));
    assert_false(ocr_scan_row_spells_words(t, "por", "Hirator Achnninistratives", 0.29f));
    assert_false(ocr_scan_row_spells_words(t, "por", "Direto Ay", 0.39f));
    assert_false(ocr_scan_row_spells_words(t, "por", "Diretor Xqzvbnm", 0.4f));
    assert_false(ocr_scan_row_spells_words(t, "por", "casa de mesa", 0.4f));
    assert_false(ocr_scan_row_spells_words(t, "por", "Diretor: (Administrativo) --", 0.4f));
    assert_false(ocr_scan_row_spells_words(t, "por", NULL, 0.9f));
    ocr_tess_close(t);
}

/* A turned reading wins on confidence, or, in English after the Russian
 * model read a sideways Latin card (am23 at 640 px), on text read well. */
static void turned_reading_wins(void **state) {
    (void)state;
    assert_true(ocr_scan_turn_wins(0, 0.30f, 0.45f, 10, 10));
    assert_false(ocr_scan_turn_wins(0, 0.30f, 0.45f, 10, 9));
    assert_false(ocr_scan_turn_wins(0, 0.46f, 0.55f, 12, 43));
    assert_true(ocr_scan_turn_wins(1, 0.46f, 0.55f, 12, 43));
    assert_false(ocr_scan_turn_wins(1, 0.46f, 0.44f, 12, 43));
    assert_false(ocr_scan_turn_wins(1, 0.46f, 0.50f, 12, 23));
    assert_false(ocr_scan_turn_wins(1, 0.46f, 0.50f, 5, 12));
    /* the reading in hand reads nothing well (am23 a grey level brighter,
     * upside down 0.46 with no byte): the quarter turn that reads 47 wins */
    assert_true(ocr_scan_turn_wins(0, 0.46f, 0.51f, 0, 47));
    assert_true(ocr_scan_turn_wins(0, 0.46f, 0.51f, 9, 20));
    assert_false(ocr_scan_turn_wins(0, 0.46f, 0.51f, 9, 19));
    assert_false(ocr_scan_turn_wins(0, 0.46f, 0.45f, 0, 47));
}

/* The detector's boxes are measured against the lower of Tesseract's
 * median line and their own median (am03 a grey level darker: 177 px of
 * two rows in one box against print ~100 px tall). */
static void detector_print_height(void **state) {
    (void)state;
    int am03[] = {111, 101, 108, 62, 66, 71};
    assert_int_equal(ocr_scan_print_height(177, am03, 6), 101);
    int tall[] = {120, 130, 140};
    assert_int_equal(ocr_scan_print_height(48, tall, 3), 48);
    assert_int_equal(ocr_scan_print_height(48, NULL, 0), 48);
}

/* A line the detector found that holds a number alone is kept without
 * letters; a short run of digits or a line with words is not one. */
static void detected_number_lines(void **state) {
    (void)state;
    assert_true(ocr_scan_number_only("2681-7485"));
    assert_true(ocr_scan_number_only("(11) 3569-6905"));
    assert_true(ocr_scan_number_only("+55 11 98697 6934"));
    assert_false(ocr_scan_number_only("2681-748"));
    assert_false(ocr_scan_number_only("Tel 2681-7485"));
    assert_false(ocr_scan_number_only("2681-7485 x"));
    assert_false(ocr_scan_number_only(""));
}

/* Tesseract's lines stop short of a row the detector found whole
 * (cards_real am06 saved again at JPEG quality 95: "Tel/Fax:" and the
 * number it stopped short of read as a poor piece): the wider end no line
 * read at 0.6 reaches; a row read to its ends has none, a row with no line
 * read is open all along, a line of another row does not count. */
static void open_ends_of_rows(void **state) {
    (void)state;
    ocr_lines_t ls = {0};
    assert_int_equal(ocr_lines_add(&ls, "Lojas: Av. Rio das Pedras, 1553 - Tel/Fex:", 0.80f, 157, 502, 691, 45), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "941923.98N", 0.14f, 865, 499, 158, 22), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "Av. Sapopemba, 2449 - Tel/Fax: 2966-2:", 0.76f, 266, 548, 670, 50), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "Aiea", 0.13f, 900, 602, 73, 8), GR_OK);
    int from = 0, to = 0;
    assert_int_equal(ocr_scan_open_end(156, 496, 893, 49, &ls, 0.6f, &from, &to), 1049 - 848);
    assert_int_equal(from, 848);
    assert_int_equal(to, 1049);
    assert_int_equal(ocr_scan_open_end(265, 548, 731, 46, &ls, 0.6f, &from, &to), 996 - 936);
    assert_int_equal(from, 936);
    /* open at the left: the row's line starts late */
    assert_int_equal(ocr_scan_open_end(100, 548, 836, 46, &ls, 0.6f, &from, &to), 166);
    assert_int_equal(from, 100);
    assert_int_equal(to, 266);
    /* read to its ends; and a row of poor pieces only */
    assert_int_equal(ocr_scan_open_end(270, 550, 660, 46, &ls, 0.6f, &from, &to), 0);
    assert_int_equal(ocr_scan_open_end(265, 599, 713, 47, &ls, 0.6f, &from, &to), 713);
    assert_int_equal(from, 265);
    assert_int_equal(to, 265 + 713);
    ocr_lines_free(&ls);
}

/* What a detected row's lines hold: two readings of the same print count
 * once, by the one that holds more (cards_real am06 a level brighter: the
 * row read twice by Tesseract, once to "2966-" and once to "2449"); lines
 * of other rows and poor ones do not count. */
static void held_counts_print_once(void **state) {
    (void)state;
    ocr_lines_t ls = {0};
    assert_int_equal(ocr_lines_add(&ls, "Av. Sapopemba, 2449 - Tel/Fax: 2966-", 0.75f, 258, 490, 613, 79), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "Av. Sapopemba, 2449", 0.85f, 257, 527, 363, 39), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "K", 0.0f, 880, 530, 20, 30), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "Av. do Cursino, 2283", 0.87f, 258, 570, 363, 46), GR_OK);
    /* 25 letters and digits at 0.75 */
    assert_float_equal(ocr_scan_held(&ls, 256, 523, 702, 42, 0.6f), 18.75f, 1e-3);
    /* side by side, both count */
    assert_int_equal(ocr_lines_add(&ls, "Tel 2966-2550", 0.9f, 880, 525, 150, 40), GR_OK);
    assert_float_equal(ocr_scan_held(&ls, 256, 523, 800, 42, 0.6f), 18.75f + 11 * 0.9f, 1e-3);
    ocr_lines_free(&ls);
}

/* The recogniser's bullets: a middle dot or a bullet mark is a space, and
 * the spaces at the ends go. */
static void bullets_dropped(void **state) {
    (void)state;
    char a[] = "\xc2\xb7" "Av.Sapopemba,2449-Tel/Fax:2966-2550", b[] = "Lojas: \xe2\x80\xa2 Av. Rio \xc2\xb7 ",
         c[] = "  ", d[] = "a\xc2\xb7" "b";
    ocr_scan_drop_bullets(a);
    ocr_scan_drop_bullets(b);
    ocr_scan_drop_bullets(c);
    ocr_scan_drop_bullets(d);
    assert_string_equal(a, "Av.Sapopemba,2449-Tel/Fax:2966-2550");
    assert_string_equal(b, "Lojas: Av. Rio");
    assert_string_equal(c, "");
    assert_string_equal(d, "a b");
}

/* The card's language from its lines (ocr_scan_latin_cues): a country's
 * domain or calling code counts twice, also a domain whose dot was read as
 * a space (ocr_cards2 HARD seed 1357, photo 032: "{ schafer @vantage de"
 * beside "Vantage GmbH" was read with English alone and gave "Schafer");
 * another country's code or domain outweighs a misread one (+39 read +33
 * beside lumina.it, seed 4321 photo 006: French then made "Via" "Vin"). */
static const char *language_of(const char *const *lines, int min_cues) {
    ocr_lines_t ls = {0};
    for (int i = 0; lines[i]; i++) assert_int_equal(ocr_lines_add(&ls, lines[i], 0.9f, 10, 40 * i, 300, 30), GR_OK);
    const char *lang = ocr_scan_latin_cues(&ls, min_cues);
    ocr_lines_free(&ls);
    return lang;
}

static void card_language_from_country(void **state) {
    (void)state;
    const char *de[] = {"Felix Schafer", "Vantage GmbH |", "{ schafer @vantage de", "80339 Munchen", NULL};
    const char *de1[] = {"Felix Schafer", "Vantage Consulting", "schafer@vantage.de", NULL};
    const char *es[] = {"Pablo Fernandez Ruiz", "+34 912 345 837 | | +34 612 345 138", NULL};
    const char *it[] = {"Francesca Ferrari", "+33 02 1234 0029", "+39 347 123 7990", "www.lumina.it", NULL};
    const char *it2[] = {"Francesca Ferrari", "+33 02 1234 0029", "www.lumina.it", NULL};
    const char *br[] = {"Rua Padre João, 331", "contato@empresa.com.br | (11) 2294-9484", NULL};
    const char *local[] = {"Ana Maria.es@x", "maria.es@lumina.com", NULL}; /* a local part, not Spain */
    const char *en[] = {"Jane Doe", "Vantage Inc.", "jane@vantage.com", NULL};
    /* a vanity domain is no country's: the Spanish cues stand */
    const char *io[] = {"Pablo Fernandez Ruiz", "Calle Mayor 5", "pablo@aurora.io", NULL};
    const char *uk[] = {"Pablo Fernandez Ruiz", "Calle Mayor 5", "pablo@aurora.co.uk", NULL};
    assert_string_equal(language_of(de, 2), "deu");
    assert_string_equal(language_of(de1, 2), "deu"); /* the domain alone */
    assert_string_equal(language_of(es, 2), "spa");
    assert_null(language_of(it, 2));
    assert_null(language_of(it2, 2)); /* a tie: no winner */
    assert_string_equal(language_of(br, 2), "por");
    assert_null(language_of(local, 1));
    assert_null(language_of(en, 1));
    assert_string_equal(language_of(io, 1), "spa");
    assert_null(language_of(uk, 1)); /* .uk counts against "Calle" */
    /* round 34: an abbreviation's dot run into the next word by the line
     * recogniser ("Jd.Samara", cards_real am03) is still a cue; a host's
     * dot is none ("jd.com") */
    const char *run[] = {"Rua ar", "Jd.Samara-SP-(Travessa da Gamelinha)", NULL};
    const char *host[] = {"Rua ar", "vendas@jd.com", NULL};
    assert_string_equal(language_of(run, 2), "por");
    assert_null(language_of(host, 2));
}

/* Word breaks of a recogniser's reading with no fair reading of
 * Tesseract's beside it: "Av.do" (cards_real am06 at 640 px) would be a
 * host of the Dominican Republic, "Condensadores,Et." another; hosts,
 * e-mails and legal forms stay whole. */
static void run_together_breaks(void **state) {
    (void)state;
    const char *cases[][2] = {
        {"JoseCarlos", "Jose Carlos"},
        {"Av.do Cursino.2283-Te/Fax:5067-1991", "Av. do Cursino.2283-Te/Fax:5067-1991"},
        {"Radiadores,Condensadores,Et.", "Radiadores, Condensadores, Et."},
        {"R.pinhal;283", "R. pinhal; 283"},
        {"www.DFWCarpentry.com", "www.DFWCarpentry.com"},
        {"nog.carbonmade.com", "nog.carbonmade.com"},
        {"ana@Av.do", "ana@Av.do"},
        {"x.Av.do", "x.Av.do"},
        {"CEASTEC S.A.", "CEASTEC S.A."},
        {"Tel:2131-3400,", "Tel:2131-3400,"},
        {"", ""},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *o = ocr_scan_run_together_breaks(cases[k][0]);
        assert_non_null(o);
        assert_string_equal(o, cases[k][1]);
        free(o);
    }
}

/* An e-mail whose start was lost to Tesseract (print running from a red
 * photo onto black: cards_real am15 saved again) is the tail of the line
 * recogniser's reading; another address, or one as long, is not. */
static void email_cut_short(void **state) {
    (void)state;
    assert_true(ocr_scan_contact_cut_short("e:tima@hotmail.com", "e:floresnsfatima@hotmail.com"));
    assert_true(ocr_scan_contact_cut_short("e:ovida@microvida.com", "e:microvida@microvida.com.br"));
    assert_false(ocr_scan_contact_cut_short("e:tima@hotmail.com", "e:tima@hotmail.com"));
    assert_false(ocr_scan_contact_cut_short("e:dtwcarpentry@verizon.com", "e:diwcarpentry@verizon.com"));
    assert_false(ocr_scan_contact_cut_short("e:tima@hotmail.com", "e:floresnsfatima@gmail.com"));
    assert_false(ocr_scan_contact_cut_short("e:ovida@microvida.co", "e:microvida@microvida.com.br"));
    assert_false(ocr_scan_contact_cut_short("w:vida.com", "w:microvida.com"));
    assert_false(ocr_scan_contact_cut_short("e:@hotmail.com", "e:anna@hotmail.com"));
    /* a render's whole local part, lost by every Tesseract reading */
    assert_true(ocr_scan_contact_cut_short("e:wagner@crestlineconsulting.de", "e:jonas.wagner@crestlineconsulting.de"));
    /* the recogniser ran an e-mail label into the address */
    assert_false(ocr_scan_contact_cut_short("e:kumar@granitesystems.com.sg", "e:ekumar@granitesystems.com.sg"));
    assert_false(ocr_scan_contact_cut_short("e:canderson@juniper.com.au", "e:emait.canderson@juniper.com.au"));
    assert_false(ocr_scan_contact_cut_short("e:anna@x.com", "e:mailanna@x.com"));
    assert_false(ocr_scan_contact_cut_short("e:anna@x.com", "e:e-mailanna@x.com"));
    /* two letters more, the first an e, are a name's */
    assert_true(ocr_scan_contact_cut_short("e:lee@x.com", "e:elee@x.com") == 0);
    assert_true(ocr_scan_contact_cut_short("e:lee@x.com", "e:eklee@x.com"));
}

/* Tesseract reads an l of a render's thin type as i in every crop; the
 * recogniser reads it right. Only i for l, in keys of one length. */
static void email_l_read_as_i(void **state) {
    (void)state;
    assert_true(ocr_scan_contact_l_as_i("e:kiee@biuewavesystems.com.sg", "e:klee@bluewavesystems.com.sg"));
    assert_true(ocr_scan_contact_l_as_i("w:kestreliogistics.fr", "w:kestrellogistics.fr"));
    assert_false(ocr_scan_contact_l_as_i("e:l.bianchi@tidewater.it", "e:1.bianchi@tidewater.it"));
    assert_false(ocr_scan_contact_l_as_i("e:chice.martin@x.fr", "e:chloe.martin@x.fr"));
    assert_false(ocr_scan_contact_l_as_i("w:evergreen.fr", "w:evergreen.fr"));
    assert_false(ocr_scan_contact_l_as_i("w:pinnacie.com", "w:pinnacle.com.au"));
    assert_false(ocr_scan_contact_l_as_i("w:kiee.com", "e:klee.com"));
}

/* The recogniser vouches for the winner when it reads the same address,
 * or it with the E of an e-mail label run into it. */
static void contact_read_the_same(void **state) {
    (void)state;
    assert_true(ocr_scan_contact_same("e:brian@lumina.com", "e:brian@lumina.com"));
    assert_true(ocr_scan_contact_same("e:brian@lumina.com", "e:ebrian@lumina.com"));
    assert_true(ocr_scan_contact_same("w:lumina.com", "w:lumina.com"));
    assert_false(ocr_scan_contact_same("w:lumina.com", "w:elumina.com"));
    assert_false(ocr_scan_contact_same("e:brian@lumina.com", "e:brian@gmina.com"));
    assert_false(ocr_scan_contact_same("e:brian@lumina.com", "e:xbrian@lumina.com"));
}

/* The recogniser's reading of a contact line no Tesseract reading held an
 * address in keeps an e-mail label Tesseract read apart as a word of its
 * own; nothing else is moved. */
static void mail_label_kept_apart(void **state) {
    (void)state;
    const char *cases[][3] = {
        {"E p desmet.: redwood.be", "Ep.desmet@redwood.be", "E p.desmet@redwood.be"},
        {"E: ana@x.pt", "E:ana@x.pt", "E: ana@x.pt"},
        {"Email: p sanchez.: lumina.es", "Email:p.sanchez@lumina.es", "Email: p.sanchez@lumina.es"},
        {"e-mail a lima falcon.com.br", "e-maila.lima@falcon.com.br", "e-mail a.lima@falcon.com.br"},
        /* the first word no e-mail label, or the recogniser not running it in */
        {"Emma emma.: x.se", "Emmaemma@x.se", "Emmaemma@x.se"},
        {"W www redwood.be", "Wwww.redwood.be", "Wwww.redwood.be"},
        {"E p desmet.: redwood.be", "E p.desmet@redwood.be", "E p.desmet@redwood.be"},
        {"E p desmet.: redwood.be", "p.desmet@redwood.be", "p.desmet@redwood.be"},
        {"E", "Ep@x.be", "Ep@x.be"},
        {"E: p@x.be", "E:", "E:"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *o = ocr_scan_label_apart(cases[i][0], cases[i][1]);
        assert_non_null(o);
        if (strcmp(o, cases[i][2])) fail_msg("'%s' + '%s': '%s', want '%s'", cases[i][0], cases[i][1], o, cases[i][2]);
        free(o);
    }
}

/* The winner's line mended where its address differs, its other words as
 * Tesseract broke them; not when the address is not in it as it stands. */
static void contact_line_mended(void **state) {
    (void)state;
    char *o = ocr_scan_put_lost_start("E: Wagner@crestlineconsulting.de  T: 089 4521", "e:wagner@crestlineconsulting.de",
                                      "e:jonas.wagner@crestlineconsulting.de");
    assert_non_null(o);
    assert_string_equal(o, "E: jonas.Wagner@crestlineconsulting.de  T: 089 4521");
    free(o);
    o = ocr_scan_put_l_for_i("Email: KIEE@biuewavesystems.com.sg", "e:kiee@biuewavesystems.com.sg",
                             "e:klee@bluewavesystems.com.sg");
    assert_non_null(o);
    assert_string_equal(o, "Email: KLEE@bluewavesystems.com.sg");
    free(o);
    /* the lost start read apart goes; an E label's e the recogniser ran
     * into the address stays out, and without a label read apart such an
     * e is not known to be the name's */
    o = ocr_scan_put_lost_start("Email: minhduc tran@tidewatersystems.vn", "e:tran@tidewatersystems.vn",
                                "e:minhduc.tran@tidewatersystems.vn");
    assert_non_null(o);
    assert_string_equal(o, "Email: minhduc.tran@tidewatersystems.vn");
    free(o);
    o = ocr_scan_put_lost_start("E janssens@harbourfoods.be", "e:janssens@harbourfoods.be",
                                "e:elotte.janssens@harbourfoods.be");
    assert_non_null(o);
    assert_string_equal(o, "E lotte.janssens@harbourfoods.be");
    free(o);
    assert_null(ocr_scan_put_lost_start("janssens@harbourfoods.be", "e:janssens@harbourfoods.be",
                                        "e:elotte.janssens@harbourfoods.be"));
    assert_null(ocr_scan_put_lost_start("mick ovida@microvida. com. br", "e:ovida@microvida.com",
                                        "e:microvida@microvida.com.br"));
    assert_null(ocr_scan_put_l_for_i("www.kestreli ogistics.fr", "w:kestreliogistics.fr", "w:kestrellogistics.fr"));
}

/* 008.jpg's card blown up four times (its words ~140 px tall, as the
 * engraved letters of cards_real am24 come out when their height is
 * misjudged from specks) and three times (~105 px, as am03's big
 * print came out a grey level brighter): the scan brings it down and
 * reads the e-mail; the card at its own scale is read at that scale, and
 * so is the card three times as big when it was sharpened for blur (big
 * words there are blur: only from 120 px). */
static void oversized_card_scaled_down(void **state) {
    (void)state;
    ocr_tess_t *t = open_eng();
    size_t len;
    char *img = tu_slurp(tu_data("cards/008.jpg"), &len);
    const double scale[] = {1, 4, 3, 3};
    const int blurred[] = {0, 0, 0, 1};
    for (int big = 0; big < 4; big++) {
        ocr_card_img_t *cards = prepare_one(img, len);
        cards[0].sharpened = blurred[big];
        if (big) {
            ocr_gray_t g4 = {0}, p4 = {0};
            assert_int_equal(ocr_gray_scaled(&cards[0].gray, scale[big], &g4), GR_OK);
            assert_int_equal(ocr_gray_scaled(&cards[0].plain, scale[big], &p4), GR_OK);
            ocr_gray_free(&cards[0].gray);
            ocr_gray_free(&cards[0].plain);
            cards[0].gray = g4;
            cards[0].plain = p4;
            for (int k = 0; k < 3; k++) {
                ocr_gray_t c4 = {0};
                assert_int_equal(ocr_gray_scaled(&cards[0].colour[k], scale[big], &c4), GR_OK);
                ocr_gray_free(&cards[0].colour[k]);
                cards[0].colour[k] = c4;
            }
        }
        int w0 = cards[0].gray.width + cards[0].gray.height;
        ocr_lines_t ls = {0};
        ocr_scan_info_t info;
        assert_int_equal(
            ocr_scan_card(t, &cards[0].gray, &cards[0].plain, cards[0].colour, cards[0].sharpened, gr_now_mono() + 120, &ls, &info),
            GR_OK);
        int w1 = cards[0].gray.width + cards[0].gray.height;
        if (big && !blurred[big]) {
            assert_true(w1 * 10 < w0 * 7);
            /* the plain card goes along, the same size */
            assert_int_equal(cards[0].plain.width, cards[0].gray.width);
            assert_int_equal(cards[0].plain.height, cards[0].gray.height);
            for (int k = 0; k < 3; k++) {
                assert_int_equal(cards[0].colour[k].width, cards[0].gray.width);
                assert_int_equal(cards[0].colour[k].height, cards[0].gray.height);
            }
        } else {
            assert_int_equal(w1, w0);
        }
        int email = 0;
        for (size_t i = 0; i < ls.n; i++) {
            char key[300];
            if (ocr_fields_contact_key(ls.v[i].text, key, sizeof key) && !strcmp(key, "e:grossc@taylorstanton.com")) email++;
        }
        if (!blurred[big]) assert_int_equal(email, 1);
        ocr_lines_free(&ls);
        ocr_card_imgs_free(cards, 1);
    }
    free(img);
    ocr_tess_close(t);
}

/* A card turned a quarter in the photo is turned upright by the scan,
 * and its colour channels with it: the same size as the clean card and
 * in register with the plain one (its green channel is close to its grey
 * everywhere; turned another way, it would not be the card's size). */
static void colour_turned_with_card(void **state) {
    (void)state;
    ocr_tess_t *t = open_eng();
    size_t len;
    char *img = tu_slurp(tu_data("cards/008.jpg"), &len);
    ocr_card_img_t *cards = prepare_one(img, len);
    assert_int_equal(ocr_gray_rotate(&cards[0].gray, 1), GR_OK);
    assert_int_equal(ocr_gray_rotate(&cards[0].plain, 1), GR_OK);
    for (int k = 0; k < 3; k++) assert_int_equal(ocr_gray_rotate(&cards[0].colour[k], 1), GR_OK);
    ocr_lines_t ls = {0};
    ocr_scan_info_t info;
    assert_int_equal(
        ocr_scan_card(t, &cards[0].gray, &cards[0].plain, cards[0].colour, cards[0].sharpened, gr_now_mono() + 120, &ls, &info), GR_OK);
    assert_int_not_equal(info.quarter_turns, 0);
    assert_true(cards[0].gray.width > cards[0].gray.height); /* upright: landscape again */
    long diff = 0, n = (long)cards[0].plain.width * cards[0].plain.height;
    for (int k = 0; k < 3; k++) {
        assert_int_equal(cards[0].colour[k].width, cards[0].gray.width);
        assert_int_equal(cards[0].colour[k].height, cards[0].gray.height);
    }
    assert_int_equal(cards[0].plain.width, cards[0].gray.width);
    for (long i = 0; i < n; i++) diff += labs((long)cards[0].colour[1].pixels[i] - cards[0].plain.pixels[i]);
    assert_true(diff < 25 * n);
    ocr_lines_free(&ls);
    ocr_card_imgs_free(cards, 1);
    free(img);
    ocr_tess_close(t);
}

static void scan_reads_broken_numbers(void **state) {
    (void)state;
    ocr_tess_t *t = NULL;
    char err[256] = "";
    const char *path = tu_shared("cards_real/am06.jpg");
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f || ocr_tess_open(NULL, "eng+por", &t, err, sizeof err) != GR_OK) {
        if (f) fclose(f);
        skip();
    }
    fclose(f);
    size_t len;
    char *img = tu_slurp(path, &len);
    ocr_image_opts_t o = {4, 50, 26, 0, 0};
    ocr_card_img_t *cards = NULL;
    int n = 0;
    assert_int_equal(ocr_image_prepare(img, len, &o, &cards, &n, err, sizeof err), GR_OK);
    ocr_lines_t ls = {0};
    ocr_scan_info_t info;
    assert_int_equal(
        ocr_scan_card(t, &cards[0].gray, &cards[0].plain, cards[0].colour, cards[0].sharpened, gr_now_mono() + 60, &ls, &info), GR_OK);
    static const char *const want[] = {"31230800", "29662550", "50671991", "21313400"};
    for (int k = 0; k < 4; k++) {
        int found = 0;
        for (size_t i = 0; i < ls.n; i++) {
            char d[300];
            size_t m = 0;
            for (const char *p = ls.v[i].text; *p && m + 1 < sizeof d; p++)
                if (*p >= '0' && *p <= '9') d[m++] = *p;
            d[m] = '\0';
            found |= strstr(d, want[k]) != NULL;
        }
        assert_true(found);
    }
    ocr_lines_free(&ls);
    ocr_card_imgs_free(cards, n);
    free(img);
    ocr_tess_close(t);
}

/* The second recogniser's reading with Tesseract's word breaks and marked
 * letters put back: its letters, Tesseract's spaces and accents; its own
 * spaces kept. */
static void second_reading_onto_tesseract(void **state) {
    (void)state;
    static const char *const cases[][3] = {
        {"HertrampfstraBe 4", "HertrampfstraBe4", "HertrampfstraBe 4"},
        {"Diretor Administrativo", "DiretorAdministrativo", "Diretor Administrativo"},
        {"Pabx:(11) 2134-3400 - Fax: 2131-3418", "Pabx:(11) 2131-3400-Fax:2131-3418",
         "Pabx:(11) 2131-3400 - Fax: 2131-3418"},
        {"Wtunitugas Ge lnpressoras", "Hanutengao de Impressoras", "Hanutengao de Impressoras"},
        {"T : 06 83 49 14 00", "T:0683491400", "T : 06 83 49 14 00"},
        {"Escrevente Autonzado", "EscreventeAutorizado", "Escrevente Autorizado"},
        /* a mark of Tesseract's dropped: its space goes to what follows */
        {"Jd. »Samaras SP", "Jd.Samaras SP", "Jd. Samaras SP"},
        /* marked letters it cannot read come back */
        {"Industriestraße 15, 80339 München", "IndustriestraBe 15,80339 Munchen", "Industriestraße 15, 80339 München"},
        {"Direção Hidraulica", "DirecaoHidraulica", "Direção Hidraulica"},
        {"Sao Paulo = SP’ Tel: 11°324.1-0322", "Sao Paulo-SP-Tel:113241-0322", "Sao Paulo - SP- Tel: 113241-0322"},
        {"", "abc", "abc"},
        {"a b c", "", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = ocr_scan_second_reading(cases[i][0], cases[i][1]);
        assert_non_null(got);
        assert_string_equal(got, cases[i][2]);
        free(got);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(contact_keys),
        cmocka_unit_test(vote_majority_beats_first_reading),
        cmocka_unit_test(vote_recovers_lost_email),
        cmocka_unit_test(vote_ties_and_nothing),
        cmocka_unit_test(number_keys_and_vote),
        cmocka_unit_test(capitals_gain_marks_only),
        cmocka_unit_test(rows_kept_for_their_words),
        cmocka_unit_test(turned_reading_wins),
        cmocka_unit_test(detected_number_lines),
        cmocka_unit_test(detector_print_height),
        cmocka_unit_test(open_ends_of_rows),
        cmocka_unit_test(bullets_dropped),
        cmocka_unit_test(card_language_from_country),
        cmocka_unit_test(held_counts_print_once),
        cmocka_unit_test(email_cut_short),
        cmocka_unit_test(email_l_read_as_i),
        cmocka_unit_test(contact_line_mended),
        cmocka_unit_test(contact_read_the_same),
        cmocka_unit_test(mail_label_kept_apart),
        cmocka_unit_test(run_together_breaks),
        cmocka_unit_test(text_band_skips_bars),
        cmocka_unit_test(join_split_email_line),
        cmocka_unit_test(join_tld_fragment),
        cmocka_unit_test(join_at_seam),
        cmocka_unit_test(well_formed_keys),
        cmocka_unit_test(join_keeps_columns_apart),
        cmocka_unit_test(line_crop),
        cmocka_unit_test(line_crop_binary),
        cmocka_unit_test(line_crop_local),
        cmocka_unit_test(line_crop_levels),
        cmocka_unit_test(line_crop_flat),
        cmocka_unit_test(second_reading_onto_tesseract),
        cmocka_unit_test(edge_marks_trimmed),
        cmocka_unit_test(text_rows),
        cmocka_unit_test(scan_of_blurred_photo),
        cmocka_unit_test(scan_reads_broken_numbers),
        cmocka_unit_test(oversized_card_scaled_down),
        cmocka_unit_test(colour_turned_with_card),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
