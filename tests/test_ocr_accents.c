/* test_ocr_accents.c - misread accent marks mended with a word list
 * (ocr/accents.h): the changes that are taken, the ones that are not
 * (two words fit, a word already right, numbers and e-mails), case and
 * punctuation kept, look-alike letters (l/i, g/q, a/o), the Tesseract
 * model's own word lists (por, eng), spelling lists (ocr/spelling.h) that
 * bring back a mark the photo lost, and the dotless i of a model that
 * has it made an i (ocr/tess.h). */
#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "firmware/formats/utf8.h"
#include "ocr/accents.h"
#include "ocr/scan.h"
#include "ocr/spelling.h"
#include "ocr/tess.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* A small word list standing in for the model's (case-insensitive for
 * ASCII; the accented capitals are listed as they are). */
static const char *const words[] = {"eletrônica", "Eletrônica", "ELETRÔNICA", "próximo", "metrô", "peças",
                                    "gonçalves", "Gonçalves", "técnica", "acessórios", "pêra", "pára",
                                    "società", "café", "amigos", "möge", "pinnacle", "conseil", "vertriebsleiter",
                                    "sili", "siil", "inland", "manager", "einkauf", "rosa", "Aguinaldo", "Henrique",
                                    "lefèvre", "ateliê", "atelié", "daniel", "samuel", "elodie", "luíza", "joão",
                                    "são", "silver", "leaf", "blue", "wave", "waves", "sliver", "stations",
                                    "loan", NULL};

static int calls;

static int in_list(void *ctx, const char *w) {
    (void)ctx;
    calls++;
    for (int k = 0; words[k]; k++)
        if (!strcasecmp(words[k], w) || !strcmp(words[k], w)) return 1;
    return 0;
}

/* Another language's words. */
static int in_other(void *ctx, const char *w) {
    (void)ctx;
    return !strcasecmp(w, "consell");
}

/* Mends a copy of in with the lists valid and strict; returns the text
 * (caller frees) and the count. */
static char *mend_with(const char *in, ocr_word_check_fn valid, ocr_word_check_fn strict, void *ctx, int *n) {
    char *t = strdup(in);
    assert_non_null(t);
    *n = ocr_accents_fix(&t, valid, strict, ctx);
    assert_true(*n >= 0);
    return t;
}

static char *mend(const char *in, int *n) { return mend_with(in, in_list, NULL, NULL, n); }

static void one_mark_for_another(void **state) {
    (void)state;
    int n;
    char *t = mend("Eletrénica ADACHI Ltda.", &n);
    assert_string_equal(t, "Eletrônica ADACHI Ltda.");
    assert_int_equal(n, 1);
    free(t);
    t = mend("om Préximo ao Metré Patriarca,", &n);
    assert_string_equal(t, "om Próximo ao Metrô Patriarca,");
    assert_int_equal(n, 2);
    free(t);
    /* upper case stays upper case */
    t = mend("ELETRÉNICA", &n);
    assert_string_equal(t, "ELETRÔNICA");
    free(t);
    /* punctuation around the word is kept */
    t = mend("(Acessérios),", &n);
    assert_string_equal(t, "(Acessórios),");
    free(t);
}

static void cedilla_and_two_changes(void **state) {
    (void)state;
    int n;
    char *t = mend("Maria Gongalves", &n);
    assert_string_equal(t, "Maria Gonçalves");
    free(t);
    /* a mark misread and the cedilla read as g: two changes */
    t = mend("Auto Pégas\\", &n);
    assert_string_equal(t, "Auto Peças\\");
    assert_int_equal(n, 1);
    free(t);
    /* a mark dropped: the word has none */
    t = mend("Amigõs", &n);
    assert_string_equal(t, "Amigos");
    free(t);
    /* a mark lost on a word of none: the one mark on one small vowel that
     * makes a word; not when two do, nor under five letters */
    static const struct {
        const char *in, *want;
        int n;
    } lost[] = {{"Chloé Lefevre", "Chloé Lefèvre", 1}, {"Atelie Cafe", "Atelie Cafe", 0}};
    for (size_t k = 0; k < sizeof lost / sizeof *lost; k++) {
        t = mend(lost[k].in, &n);
        assert_string_equal(t, lost[k].want);
        assert_int_equal(n, lost[k].n);
        free(t);
    }
}

static void left_alone(void **state) {
    (void)state;
    int n;
    /* words of the list, words without a mark or a g, short words */
    const char *same[] = {"Assistência Técnica", "Rua Pinhal 283", "Caré", "Righetti Jr.", "Patriarca", NULL};
    for (int k = 0; same[k]; k++) {
        char *t = mend(same[k], &n);
        assert_string_equal(t, same[k]);
        assert_int_equal(n, 0);
        free(t);
    }
    /* a capital's mark at a word's start is read, not guessed: the
     * French model's "Élodie" stays, though "Elodie" is a word too */
    char *e = mend("Élodie Moreau | Élodie", &n);
    assert_string_equal(e, "Élodie Moreau | Élodie");
    assert_int_equal(n, 0);
    free(e);
    /* only an e's mark is taken for another mark: a u's is as read */
    char *m = mend("Müge Wagner", &n);
    assert_string_equal(m, "Müge Wagner");
    free(m);
    /* two words fit ("pêra", "pára"): no way to tell */
    char *t = mend("Péra", &n);
    assert_string_equal(t, "Péra");
    free(t);
    /* e-mails, sites and words glued to digits are not words */
    const char *glued[] = {"cafè@gmail.com", "www.cafè.com", "cafè2000", "cafè/bar", NULL};
    for (int k = 0; glued[k]; k++) {
        calls = 0;
        t = mend(glued[k], &n);
        assert_string_equal(t, glued[k]);
        assert_int_equal(calls, 0);
        free(t);
    }
    /* bad UTF-8 and other scripts are not mended, and do not crash */
    const char *odd[] = {"caf\xC3", "\xC3\xA9\xC3", "Иванов Pégas", "", " ", NULL};
    for (int k = 0; odd[k]; k++) {
        t = mend(odd[k], &n);
        free(t);
    }
    t = mend("Иванов Pégas", &n);
    assert_string_equal(t, "Иванов Peças");
    free(t);
}

/* Letters small print makes of each other (l and i, g and q, a and o),
 * mended the same way (ocr_lookalikes_fix). */
static void lookalike_letters(void **state) {
    (void)state;
    char *t = strdup("Pinnacie Systems | Bernard Consell SARL");
    assert_non_null(t);
    assert_int_equal(ocr_lookalikes_fix(&t, in_list, NULL, NULL), 2);
    assert_string_equal(t, "Pinnacle Systems | Bernard Conseil SARL");
    free(t);
    /* two swaps from seven letters */
    t = strdup("Vertriebsieiter");
    assert_int_equal(ocr_lookalikes_fix(&t, in_list, NULL, NULL), 1);
    assert_string_equal(t, "Vertriebsleiter");
    free(t);
    /* a and o from six letters; two swaps from seven */
    t = strdup("Operations Monoger, Leiterin Einkouf");
    assert_int_equal(ocr_lookalikes_fix(&t, in_list, NULL, NULL), 2);
    assert_string_equal(t, "Operations Manager, Leiterin Einkauf");
    free(t);
    /* a shorter word stays: "Roso" */
    t = strdup("Roso");
    assert_int_equal(ocr_lookalikes_fix(&t, in_list, NULL, NULL), 0);
    free(t);
    /* a word another language knows is left as read */
    t = strdup("Pinnacie Consell");
    assert_int_equal(ocr_lookalikes_fix(&t, in_list, in_other, NULL), 1);
    assert_string_equal(t, "Pinnacle Consell");
    free(t);
    /* g and q: the tail's hook is what small print loses; a word of the
     * list with a q ("Henrique") stays */
    t = strdup("Aquinaldo M. Righetti Jr. | Henrique");
    assert_int_equal(ocr_lookalikes_fix(&t, in_list, NULL, NULL), 1);
    assert_string_equal(t, "Aguinaldo M. Righetti Jr. | Henrique");
    free(t);
    /* an l read as '!' at a word's end, the line going on (cards_real
     * am24's engraved "Donie! Whitton"): the word with its l, as it is or
     * mended; an exclamation ending the line, or making no word, stays */
    t = strdup("Donie! Whitton | Samue! Smith");
    assert_int_equal(ocr_lookalikes_fix(&t, in_list, NULL, NULL), 2);
    assert_string_equal(t, "Daniel Whitton | Samuel Smith");
    free(t);
    const char *bang[] = {"Call now!", "Wow! Great deals", "Donie!", NULL};
    for (int k = 0; bang[k]; k++) {
        t = strdup(bang[k]);
        assert_int_equal(ocr_lookalikes_fix(&t, in_list, NULL, NULL), 0);
        assert_string_equal(t, bang[k]);
        free(t);
    }
    /* a brand of two words run together (round 29): one swap that makes
     * two words of four letters or more; not when it reads as two words
     * already, nor when the swap makes one word and a piece ("Biuewind":
     * blue, and no wind in the list), nor when two swaps each make two
     * ("Siiverleaf": Sliverleaf or Silverleaf), nor by an a-o swap (Dutch
     * "Stationslaan" is no "Stationsloan") */
    t = strdup("Silverieaf Pty Ltd");
    assert_int_equal(ocr_lookalikes_fix(&t, in_list, NULL, NULL), 1);
    assert_string_equal(t, "Silverleaf Pty Ltd");
    free(t);
    const char *glued[] = {"Bluewaves", "Siiverleaf", "Biuewind", "Stationslaan", NULL};
    for (int k = 0; glued[k]; k++) {
        t = strdup(glued[k]);
        assert_int_equal(ocr_lookalikes_fix(&t, in_list, NULL, NULL), 0);
        assert_string_equal(t, glued[k]);
        free(t);
    }
    /* two words fit; the first letter is not swapped; a word of the list
     * and one no swap makes a word are left alone; accents are not its job */
    const char *same[] = {"Siii", "lnland", "Pinnacle", "Kestrel", "Eletrénica", "pinnacie@x.com", NULL};
    for (int k = 0; same[k]; k++) {
        t = strdup(same[k]);
        assert_int_equal(ocr_lookalikes_fix(&t, in_list, NULL, NULL), 0);
        assert_string_equal(t, same[k]);
        free(t);
    }
}

/* A reading in the card's language that only adds marks its word list
 * vouches for (ocr_accents_marks_added): English read "Luiza Almeida",
 * Portuguese "Luíza Almeida". */
static void marks_added(void **state) {
    (void)state;
    static const struct {
        const char *read, *reading;
        int want;
    } rows[] = {
        {"Luiza Almeida", "Luíza Almeida", 1},
        {"Joao Oliveira, Sao Paulo", "João Oliveira, São Paulo", 1},
        {"(Luiza)", "(Luíza)", 1},
        {"Maria Goncalves", "Maria Gonçalves", 1},  /* a cedilla; "gonçalves" is listed */
        {"Luiza Almeida", "Luiza Almeida", 0},      /* nothing added */
        {"Luiza Almeida", "Lúiza Almeida", 0},      /* "lúiza" is no word */
        {"Luiza Almeida", "Luíza Almelda", 0},      /* another letter changed */
        {"Luíza Almeida", "Luiza Almeida", 0},      /* a mark dropped */
        {"Luiza", "Luíza Almeida", 0},              /* words added */
        {"Luiza Almeida", "Luíza", 0},
        {"Luiza Solutions", "Luíza Solutions.", 0}, /* a stop added */
        {"Luiza", "Luíza.", 0},
        {"Luiza", "Luíza luíza", 0},
        {"", "", 0},
        {"caf\xC3", "caf\xC3\xA9", 0},               /* bad UTF-8 */
    };
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++)
        assert_int_equal(ocr_accents_marks_added(rows[k].read, rows[k].reading, in_list, NULL), rows[k].want);
}

/* The model's word list: Debian's por traineddata holds one. */
static void model_word_list(void **state) {
    (void)state;
    ocr_tess_t *t = NULL;
    char err[256];
    int rc = ocr_tess_open(NULL, "eng+por", &t, err, sizeof err);
    if (rc == GR_ERR_NOTFOUND) skip();
    assert_int_equal(rc, GR_OK);
    assert_int_equal(ocr_tess_is_word(t, "por", "Eletrônica"), 1);
    assert_int_equal(ocr_tess_is_word(t, "por", "Eletrénica"), 0);
    assert_int_equal(ocr_tess_is_word(t, "por", "Próximo"), 1);
    assert_int_equal(ocr_tess_is_word(t, "por", "Aguinaldo"), 1);
    assert_int_equal(ocr_tess_is_word(t, "por", "Aquinaldo"), 0);
    assert_int_equal(ocr_tess_is_word(t, "deu", "Straße"), 0); /* not loaded */
    assert_int_equal(ocr_tess_is_word(t, "eng", "Pinnacle"), 1);
    assert_int_equal(ocr_tess_is_word(t, "eng", "Pinnacie"), 0);
    ocr_tess_close(t);
}

/* A spelling list (ocr/spelling.h) as Debian's word-list packages ship
 * them: looked up without case, accented capitals too; comments, empty
 * lines, CR, bad UTF-8 and over-long lines skipped; a missing file told
 * apart from a bad one. */
static const char SPELL[] = "eletr\xc3\xb4nica\nDom\xc3\xadnio\n# a comment\n\nservi\xc3\xa7os\r\ngerais\n"
                            "\xff\xfe" "bad\nsabi\xc3\xa1\ns\xc3\xa1" "bia\nmetro\npe\xc3\xa7" "as\npegas\n"
                            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmno\n";

static void spelling_list(void **state) {
    (void)state;
    ocr_spelling_t *sp = NULL;
    assert_int_equal(ocr_spelling_from_text(SPELL, sizeof SPELL - 1, &sp), GR_OK);
    assert_int_equal(ocr_spelling_count(sp), 9);
    assert_int_equal(ocr_spelling_has(sp, "Eletr\xc3\xb4nica"), 1);
    assert_int_equal(ocr_spelling_has(sp, "ELETR\xc3\x94NICA"), 1);
    assert_int_equal(ocr_spelling_has(sp, "DOM\xc3\x8dNIO"), 1);
    assert_int_equal(ocr_spelling_has(sp, "servi\xc3\xa7os"), 1);
    assert_int_equal(ocr_spelling_has(sp, "eletronica"), 0);
    assert_int_equal(ocr_spelling_has(sp, "# a comment"), 0);
    assert_int_equal(ocr_spelling_has(sp, ""), 0);
    assert_int_equal(ocr_spelling_has(sp, "\xff\xfe" "bad"), 0);
    assert_int_equal(ocr_spelling_has(NULL, "gerais"), 0);
    ocr_spelling_free(sp);
    assert_int_equal(ocr_spelling_from_text("# none\n\n", 8, &sp), GR_ERR_INVAL);
    assert_null(sp);
    assert_int_equal(ocr_spelling_load("/nonexistent/brazilian", &sp), GR_ERR_NOTFOUND);
    char path[] = "/tmp/test_spellingXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("caf\xc3\xa9\nAmigos\n", f);
    fclose(f);
    assert_int_equal(ocr_spelling_load(path, &sp), GR_OK);
    assert_int_equal(ocr_spelling_has(sp, "Caf\xc3\xa9"), 1);
    assert_int_equal(ocr_spelling_has(sp, "amigos"), 1);
    ocr_spelling_free(sp);
    unlink(path);
}

static int in_spelling(void *ctx, const char *w) { return ocr_spelling_has(ctx, w); }

/* A model's list that holds words with their marks and without (as
 * Debian's por traineddata does: "eletronica" passes), and lacks some
 * ("pegas", of pegar). */
static int lax(void *ctx, const char *w) {
    (void)ctx;
    static const char *const known[] = {"eletronica", "eletr\xc3\xb4nica", "dominio", "dom\xc3\xadnio", "servicos",
                                        "servi\xc3\xa7os", "gerais", "metr\xc3\xb4", "sabia", "sabi\xc3\xa1",
                                        "s\xc3\xa1" "bia", "pe\xc3\xa7" "as", "auto", NULL};
    char low[64];
    fmt_u8_lower_n(w, strlen(w), low, sizeof low);
    for (int k = 0; known[k]; k++)
        if (!strcmp(known[k], low)) return 1;
    return 0;
}

static char *mend_spelled(const char *in, ocr_spelling_t *sp, int with_list, int *n) {
    return mend_with(in, lax, with_list ? in_spelling : NULL, sp, n);
}

/* With a spelling list a mark the photo lost comes back (the perturbed
 * cards_real am01 and am06: "Eletronica ADACHI Ltda", "DOMINIO AUTO PEÇAS");
 * the model's list alone holds the word without its mark and cannot. A
 * marked word the model knows stays (wbrazilian has "metro", not "metrô"),
 * and a word with a mark or a g is mended with the model's list as before
 * (cards_real am22's "Pégas" is Peças, though wbrazilian holds "pegas");
 * two words that fit leave the word as read. A small letter or digit read
 * onto a capitalised word's start is left as read and the word after it
 * mended. */
static void spelling_mends_lost_marks(void **state) {
    (void)state;
    ocr_spelling_t *sp = NULL;
    assert_int_equal(ocr_spelling_from_text(SPELL, sizeof SPELL - 1, &sp), GR_OK);
    static const struct {
        const char *in, *want, *lax_want;
    } rows[] = {
        {"Eletronica ADACHI Ltda.", "Eletr\xc3\xb4nica ADACHI Ltda.", "Eletronica ADACHI Ltda."},
        {"DOMINIO AUTO PE\xc3\x87" "AS", "DOM\xc3\x8dNIO AUTO PE\xc3\x87" "AS", "DOMINIO AUTO PE\xc3\x87" "AS"},
        {"Servicos Gerais", "Servi\xc3\xa7os Gerais", "Servicos Gerais"},
        {"Metr\xc3\xb4 Patriarca", "Metr\xc3\xb4 Patriarca", "Metr\xc3\xb4 Patriarca"},
        {"Sabia", "Sabia", "Sabia"}, /* sabiá, sábia */
        {"Auto P\xc3\xa9gas", "Auto Pe\xc3\xa7" "as", "Auto Pe\xc3\xa7" "as"},
        {"Solutions", "Solutions", "Solutions"},
        /* a speck read onto the word's start (perturbed am01) */
        {"oEletronica ADACHI", "oEletr\xc3\xb4nica ADACHI", "oEletronica ADACHI"},
        {"3Eletr\xc3\xa9nica", "3Eletr\xc3\xb4nica", "3Eletr\xc3\xb4nica"},
        {"oservicos", "oservicos", "oservicos"}, /* no capital after it */
    };
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++) {
        int n;
        char *t = mend_spelled(rows[k].in, sp, 1, &n);
        assert_string_equal(t, rows[k].want);
        assert_int_equal(n, strcmp(rows[k].in, rows[k].want) != 0);
        free(t);
        t = mend_spelled(rows[k].in, sp, 0, &n);
        assert_string_equal(t, rows[k].lax_want);
        free(t);
    }
    ocr_spelling_free(sp);
}

/* Debian's wbrazilian through the reader's engines (ocr.dict_dir): loaded
 * for por on first use, none for a language without a list; the strict
 * list of the scan's mending (ocr_scan_spelled) takes English's words too
 * (wamerican, when installed). */
static void system_spelling_list(void **state) {
    (void)state;
    if (access("/usr/share/dict/brazilian", R_OK) != 0) {
        fprintf(stderr, "no /usr/share/dict/brazilian (apt-get install wbrazilian): skipped\n");
        skip();
    }
    ocr_tess_t *t = NULL;
    char err[256];
    int rc = ocr_tess_open(NULL, "eng", &t, err, sizeof err);
    if (rc == GR_ERR_NOTFOUND) skip();
    assert_int_equal(rc, GR_OK);
    assert_null(ocr_tess_spelling(t, "por")); /* no folder given */
    assert_int_equal(ocr_tess_set_dict_dir(t, "/usr/share/dict"), GR_OK);
    const ocr_spelling_t *sp = ocr_tess_spelling(t, "por");
    assert_non_null(sp);
    assert_true(ocr_spelling_count(sp) > 100000);
    assert_int_equal(ocr_spelling_has(sp, "eletr\xc3\xb4nica"), 1);
    assert_int_equal(ocr_spelling_has(sp, "eletronica"), 0);
    assert_ptr_equal(ocr_tess_spelling(t, "por"), sp); /* kept */
    assert_null(ocr_tess_spelling(t, "deu"));             /* its model's list holds only the marked words */
    assert_int_equal(ocr_scan_spelled(t, "por", "Eletronica"), 0);
    assert_int_equal(ocr_scan_spelled(t, "por", "ELETR\xc3\x94NICA"), 1);
    if (access("/usr/share/dict/american-english", R_OK) == 0) {
        assert_int_equal(ocr_scan_spelled(t, "spa", "Falcon"), 1); /* English: stays as printed */
        assert_int_equal(ocr_scan_spelled(t, "por", "Dominio"), 0);
    }
    assert_int_equal(ocr_tess_set_dict_dir(t, "/nonexistent"), GR_OK);
    assert_null(ocr_tess_spelling(t, "por"));
    ocr_tess_close(t);
}

/* A Turkish dotless i from a model of a language without it is an i. */
static void dotless_i_is_an_i(void **state) {
    (void)state;
    static const struct {
        const char *in, *langs, *want;
    } rows[] = {
        {"Manag\xc4\xb1ng Director", "deu", "Managing Director"},
        {"Sales Depar\xc4\xb1ment \xc4\xb1\xc4\xb1", "eng+fra", "Sales Depariment ii"},
        {"Manag\xc4\xb1ng", "eng+tur", "Manag\xc4\xb1ng"},
        {"I\xc4\xb1" "d\xc4\xb1r", "aze", "I\xc4\xb1" "d\xc4\xb1r"},
        {"Stra\xc3\x9f" "e", "deu", "Stra\xc3\x9f" "e"},
        {"", "eng", ""},
    };
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++) {
        char *t = strdup(rows[k].in);
        assert_non_null(t);
        ocr_tess_fold_dotless_i(t, rows[k].langs);
        assert_string_equal(t, rows[k].want);
        free(t);
    }
    ocr_tess_fold_dotless_i(NULL, "eng");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_mark_for_another),
        cmocka_unit_test(cedilla_and_two_changes),
        cmocka_unit_test(left_alone),
        cmocka_unit_test(lookalike_letters),
        cmocka_unit_test(marks_added),
        cmocka_unit_test(model_word_list),
        cmocka_unit_test(spelling_list),
        cmocka_unit_test(spelling_mends_lost_marks),
        cmocka_unit_test(system_spelling_list),
        cmocka_unit_test(dotless_i_is_an_i),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
