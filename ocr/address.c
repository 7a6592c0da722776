/* address.c - address text -> parts (see address.h).
 *
 * The address is cut at commas into segments; each segment is matched
 * against the shapes that carry a postal code (US state + ZIP, UK
 * postcode, five digits before a city, six Russian digits, Polish and
 * Portuguese dashed codes, "Singapore" and six digits), a printed
 * country, Russian settlement and region markers. What is left, in
 * order, is the street. */
#include "ocr/address.h"

#include "firmware/formats/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_SEGS 12

typedef struct {
    char s[256];
    int used;
    size_t at; /* where it starts in the address */
} seg_t;

static void trim(char *s) {
    size_t n = strlen(s), b = strspn(s, " \t.;");
    while (n > b && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == ';')) n--;
    memmove(s, s + b, n - b);
    s[n - b] = '\0';
}

static void put(char *dst, size_t cap, const char *src, size_t n) {
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--; /* whole UTF-8 characters */
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
    trim(dst);
}

/* Copy with truncation (on a UTF-8 boundary) into dst of cap bytes. */
static void copy(char *dst, size_t cap, const char *src) {
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void append(char *dst, size_t cap, const char *src) {
    size_t l = strlen(dst);
    if (l && l + 2 < cap) {
        memcpy(dst + l, ", ", 3);
        l += 2;
    }
    if (l + 1 < cap) copy(dst + l, cap - l, src);
}

static int has_digit(const char *s) {
    for (; *s; s++)
        if (isdigit((unsigned char)*s)) return 1;
    return 0;
}

static int all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    return n > 0;
}

/* Country names as printed on cards (in an address, or a block's label:
 * "Singapore Branch", "Lyon, France"), English and native, lower case,
 * with their ISO code. CN_CITY: the name is its city's too (Singapore,
 * Hong Kong, Dubai), so it is found in a line but is never an address
 * part's country (the city). CN_PART: a name too short or too common to
 * look for inside a line ("UK", "Wales" in "New South Wales"), only ever
 * a whole address part. The first name found in a line wins. */
enum { CN_CITY = 1, CN_PART = 2 };
static const struct {
    const char *name, *cc;
    int flags;
} COUNTRIES[] = {
    {"usa", "US", 0}, {"u.s.a.", "US", 0}, {"united states", "US", 0}, {"united states of america", "US", 0},
    {"canada", "CA", 0}, {"mexico", "MX", 0}, {"méxico", "MX", 0}, {"brazil", "BR", 0}, {"brasil", "BR", 0},
    {"argentina", "AR", 0}, {"chile", "CL", 0}, {"colombia", "CO", 0}, {"peru", "PE", 0}, {"perú", "PE", 0},
    {"united kingdom", "GB", 0}, {"great britain", "GB", 0}, {"england", "GB", 0}, {"scotland", "GB", 0},
    {"wales", "GB", CN_PART}, {"uk", "GB", CN_PART}, {"u.k.", "GB", CN_PART}, {"ireland", "IE", 0},
    {"france", "FR", 0}, {"belgium", "BE", 0}, {"belgique", "BE", 0}, {"belgië", "BE", 0},
    {"netherlands", "NL", 0}, {"nederland", "NL", 0}, {"luxembourg", "LU", 0}, {"germany", "DE", 0},
    {"deutschland", "DE", 0}, {"austria", "AT", 0}, {"österreich", "AT", 0}, {"switzerland", "CH", 0},
    {"schweiz", "CH", 0}, {"suisse", "CH", 0}, {"italy", "IT", 0}, {"italia", "IT", 0}, {"spain", "ES", 0},
    {"españa", "ES", 0}, {"portugal", "PT", 0}, {"denmark", "DK", 0}, {"danmark", "DK", 0}, {"sweden", "SE", 0},
    {"sverige", "SE", 0}, {"norway", "NO", 0}, {"norge", "NO", 0}, {"finland", "FI", 0}, {"suomi", "FI", 0},
    {"poland", "PL", 0}, {"polska", "PL", 0}, {"czech republic", "CZ", 0}, {"czechia", "CZ", 0},
    {"hungary", "HU", 0}, {"romania", "RO", 0}, {"greece", "GR", 0}, {"turkey", "TR", 0}, {"türkiye", "TR", 0},
    {"israel", "IL", 0}, {"uae", "AE", 0}, {"dubai", "AE", CN_CITY}, {"saudi arabia", "SA", 0},
    {"qatar", "QA", 0}, {"egypt", "EG", 0}, {"morocco", "MA", 0}, {"maroc", "MA", 0}, {"south africa", "ZA", 0},
    {"nigeria", "NG", 0}, {"kenya", "KE", 0}, {"india", "IN", 0}, {"pakistan", "PK", 0},
    {"bangladesh", "BD", 0}, {"sri lanka", "LK", 0}, {"singapore", "SG", CN_CITY}, {"malaysia", "MY", 0},
    {"indonesia", "ID", 0}, {"thailand", "TH", 0}, {"vietnam", "VN", 0}, {"viet nam", "VN", 0},
    {"philippines", "PH", 0}, {"china", "CN", 0}, {"p.r. china", "CN", 0}, {"hong kong", "HK", CN_CITY},
    {"taiwan", "TW", 0}, {"korea", "KR", 0}, {"south korea", "KR", 0}, {"japan", "JP", 0},
    {"australia", "AU", 0}, {"new zealand", "NZ", 0}, {"russia", "RU", 0}, {"россия", "RU", 0},
    {"российская федерация", "RU", 0}, {"рф", "RU", CN_PART}, {"ukraine", "UA", 0}, {"kazakhstan", "KZ", 0},
    /* the business cities a card names without its country ("1015 CJ
     * Amsterdam", "Lyon office"), one country each */
    {"amsterdam", "NL", CN_CITY}, {"rotterdam", "NL", CN_CITY}, {"den haag", "NL", CN_CITY},
    {"utrecht", "NL", CN_CITY}, {"eindhoven", "NL", CN_CITY}, {"antwerpen", "BE", CN_CITY},
    {"bruxelles", "BE", CN_CITY}, {"brussel", "BE", CN_CITY}, {"brussels", "BE", CN_CITY}, {"gent", "BE", CN_CITY},
    {"berlin", "DE", CN_CITY}, {"münchen", "DE", CN_CITY}, {"hamburg", "DE", CN_CITY},
    {"frankfurt am main", "DE", CN_CITY}, {"köln", "DE", CN_CITY}, {"düsseldorf", "DE", CN_CITY},
    {"stuttgart", "DE", CN_CITY}, {"paris", "FR", CN_CITY},
    {"lyon", "FR", CN_CITY}, {"marseille", "FR", CN_CITY}, {"toulouse", "FR", CN_CITY}, {"bordeaux", "FR", CN_CITY},
    {"madrid", "ES", CN_CITY}, {"barcelona", "ES", CN_CITY}, {"sevilla", "ES", CN_CITY}, {"milano", "IT", CN_CITY},
    {"roma", "IT", CN_CITY}, {"torino", "IT", CN_CITY}, {"napoli", "IT", CN_CITY}, {"firenze", "IT", CN_CITY},
    {"lisboa", "PT", CN_CITY}, {"london", "GB", CN_CITY}, {"manchester", "GB", CN_CITY}, {"leeds", "GB", CN_CITY},
    {"edinburgh", "GB", CN_CITY}, {"dublin", "IE", CN_CITY}, {"zürich", "CH", CN_CITY}, {"genève", "CH", CN_CITY},
    {"wien", "AT", CN_CITY}, {"stockholm", "SE", CN_CITY}, {"københavn", "DK", CN_CITY}, {"oslo", "NO", CN_CITY},
    {"helsinki", "FI", CN_CITY}, {"warszawa", "PL", CN_CITY}, {"praha", "CZ", CN_CITY}, {"tokyo", "JP", CN_CITY},
    {"osaka", "JP", CN_CITY}, {"yokohama", "JP", CN_CITY}, {"seoul", "KR", CN_CITY}, {"busan", "KR", CN_CITY},
    {"beijing", "CN", CN_CITY}, {"shanghai", "CN", CN_CITY}, {"shenzhen", "CN", CN_CITY}, {"taipei", "TW", CN_CITY},
    {"mumbai", "IN", CN_CITY}, {"bengaluru", "IN", CN_CITY}, {"bangalore", "IN", CN_CITY}, {"new delhi", "IN", CN_CITY},
    {"chennai", "IN", CN_CITY}, {"hyderabad", "IN", CN_CITY}, {"pune", "IN", CN_CITY}, {"ho chi minh", "VN", CN_CITY},
    {"hanoi", "VN", CN_CITY}, {"ha noi", "VN", CN_CITY}, {"bangkok", "TH", CN_CITY}, {"kuala lumpur", "MY", CN_CITY},
    {"jakarta", "ID", CN_CITY}, {"manila", "PH", CN_CITY}, {"sydney", "AU", CN_CITY}, {"melbourne", "AU", CN_CITY},
    {"brisbane", "AU", CN_CITY}, {"auckland", "NZ", CN_CITY}, {"são paulo", "BR", CN_CITY},
    {"rio de janeiro", "BR", CN_CITY}, {"buenos aires", "AR", CN_CITY}, {"johannesburg", "ZA", CN_CITY},
    {"istanbul", "TR", CN_CITY}, {"tel aviv", "IL", CN_CITY}, {"moscow", "RU", CN_CITY}, {"москва", "RU", CN_CITY}};

#define NCOUNTRIES (sizeof COUNTRIES / sizeof *COUNTRIES)

const char *ocr_address_country(const char *s) {
    char low[256];
    fmt_u8_lower_n(s, strlen(s), low, sizeof low);
    for (size_t i = 0; i < NCOUNTRIES; i++)
        if (!(COUNTRIES[i].flags & CN_CITY) && !strcmp(low, COUNTRIES[i].name)) return COUNTRIES[i].cc;
    return NULL;
}

const char *ocr_address_country_in(const char *t) {
    char low[512];
    fmt_u8_lower_n(t, strlen(t), low, sizeof low);
    for (size_t i = 0; i < NCOUNTRIES; i++) {
        if (COUNTRIES[i].flags & CN_PART) continue;
        size_t n = strlen(COUNTRIES[i].name);
        for (const char *q = strstr(low, COUNTRIES[i].name); q; q = strstr(q + 1, COUNTRIES[i].name)) {
            int before = q == low || !isalpha((unsigned char)q[-1]);
            int after = !isalpha((unsigned char)q[n]) && (unsigned char)q[n] < 0x80;
            if (before && after) return COUNTRIES[i].cc;
        }
    }
    return NULL;
}

/* 1 when s starts with a postcode of a digits, a dash and b digits
 * ("00-590", "1250-096"). */
static int dashed_code(const char *s, size_t a, size_t b) {
    return all_digits(s, a) && s[a] == '-' && all_digits(s + a + 1, b) && !isdigit((unsigned char)s[a + 1 + b]);
}

size_t ocr_address_code_before_town(const char *s) {
    size_t k;
    if (all_digits(s, 3) && s[3] == ' ' && all_digits(s + 4, 2) && s[6] == ' ') k = 6; /* "120 00" */
    else if (dashed_code(s, 2, 3)) k = 6;                                              /* "00-590" */
    else if (dashed_code(s, 4, 3)) k = 8;                                              /* "1250-096" */
    else return 0;
    return s[k] == ' ' && (isupper((unsigned char)s[k + 1]) || (unsigned char)s[k + 1] >= 0xC0) ? k : 0;
}

/* A US state and ZIP at the end of s: "AZ 90001", "Port Loriland AZ
 * 90001-1234", or the state written out, "Houston, Texas 77002", "New
 * York 10001". The state starts at *st, the ZIP at *zip. */
static int us_tail(const char *s, size_t *st, size_t *zip) {
    static const char *const STATES[] = {
        "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
        "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
        "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska",
        "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
        "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
        "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", NULL};
    size_t n = strlen(s), z = n;
    if (n >= 10 && s[n - 5] == '-' && all_digits(s + n - 4, 4)) z = n - 5; /* ZIP+4 */
    if (z < 7 || !all_digits(s + z - 5, 5) || s[z - 6] != ' ') return 0;
    *zip = z - 5;
    /* the state's two capitals */
    size_t a = z - 8;
    if (z >= 8 && isupper((unsigned char)s[a]) && isupper((unsigned char)s[a + 1]) && (a == 0 || s[a - 1] == ' ')) {
        *st = a;
        return 1;
    }
    /* its name */
    if (isdigit((unsigned char)s[z - 7])) return 0;
    size_t e = z - 6;
    while (e && s[e - 1] == ',') e--;
    for (int i = 0; STATES[i]; i++) {
        size_t k = strlen(STATES[i]);
        if (k <= e && !strncasecmp(s + e - k, STATES[i], k) && (e == k || s[e - k - 1] == ' ')) {
            *st = e - k;
            return 1;
        }
    }
    return 0;
}

/* "Sydney NSW 2000" or "NSW 2000" at the end of s: an Australian state and
 * four-digit postcode; the state starts at the returned offset + 1 (0:
 * none). */
static size_t au_tail(const char *s) {
    static const char *const STATES[] = {"NSW", "VIC", "QLD", "WA", "SA", "TAS", "ACT", "NT", NULL};
    size_t n = strlen(s);
    if (n < 7 || !all_digits(s + n - 4, 4) || s[n - 5] != ' ') return 0;
    size_t b = n - 5;
    while (b > 0 && s[b - 1] != ' ') b--;
    for (int i = 0; STATES[i]; i++)
        if (strlen(STATES[i]) == n - 5 - b && !strncmp(s + b, STATES[i], n - 5 - b)) return b + 1;
    return 0;
}

/* 1 when s has a Cyrillic letter. */
static int cyrillic(const char *s) {
    while (*s)
        if (fmt_u8_is_cyrillic(fmt_u8_next(&s))) return 1;
    return 0;
}

/* Two or three capitals alone: a state's or province's code ("SP",
 * "NSW"), not a town. */
static int state_code(const char *s) {
    size_t k = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    return (k == 2 || k == 3) && !s[k];
}

/* "Tokyo 105-0014": a town and a Japanese postcode at the end of s. */
static int jp_tail(const char *s) {
    size_t k = strlen(s);
    if (k < 11 || s[k - 9] != ' ' || !all_digits(s + k - 8, 3) || s[k - 5] != '-' || !all_digits(s + k - 4, 4) ||
        !isupper((unsigned char)s[0]))
        return 0;
    for (size_t i = 0; i + 9 < k; i++)
        if (isdigit((unsigned char)s[i])) return 0;
    return 1;
}

size_t ocr_address_ca_code(const char *s) {
    static const char *const FIRST = "ABCEGHJKLMNPRSTVXY", *const OTHER = "ABCEGHJKLMNPRSTVWXYZ";
    if (!s[0] || !strchr(FIRST, s[0]) || !isdigit((unsigned char)s[1]) || !s[2] || !strchr(OTHER, s[2])) return 0;
    size_t o = s[3] == ' ' ? 4 : 3;
    if (!isdigit((unsigned char)s[o]) || !s[o + 1] || !strchr(OTHER, s[o + 1]) || !isdigit((unsigned char)s[o + 2]) ||
        isalnum((unsigned char)s[o + 3]))
        return 0;
    return o + 3;
}

/* "Toronto, ON M5H 1J9", "Montréal (Québec) H3B 4W8", "Vancouver BC
 * V6C 1T2": a Canadian postcode ending s, after the province's code or
 * name. Returns 1 + where the code starts (0: none); the province is
 * s[*pr, *pr + *pl) (length 0: none). */
static size_t ca_tail(const char *s, size_t *pr, size_t *pl) {
    static const char *const PROV[] = {"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
                                       "Québec", "Quebec", "Ontario", "Alberta", "Manitoba", NULL};
    size_t n = strlen(s), c;
    if (n >= 7 && s[n - 4] == ' ' && ocr_address_ca_code(s + n - 7) == 7 && (n == 7 || s[n - 8] == ' ')) c = n - 7;
    else if (n >= 6 && ocr_address_ca_code(s + n - 6) == 6 && (n == 6 || s[n - 7] == ' ')) c = n - 6;
    else return 0;
    *pr = *pl = 0;
    size_t e = c;
    while (e && s[e - 1] == ' ') e--;
    size_t b = e;
    while (b && s[b - 1] != ' ') b--;
    const char *w = s + b;
    size_t wl = e - b;
    if (wl > 2 && w[0] == '(' && w[wl - 1] == ')') w++, wl -= 2; /* "(Québec)" */
    for (int i = 0; PROV[i]; i++)
        if (strlen(PROV[i]) == wl && !strncmp(w, PROV[i], wl)) {
            *pr = (size_t)(w - s);
            *pl = wl;
        }
    return c + 1;
}

/* "Cork T12 X8PD", "Dublin 2 D02 AF30": an Irish Eircode ending s (a
 * letter, two digits or D6W's digit and W, then four letters and digits,
 * both). Returns 1 + where it starts, or 0. */
static size_t ie_tail(const char *s) {
    size_t n = strlen(s);
    if (n < 8 || s[n - 5] != ' ' || (n > 8 && s[n - 9] != ' ')) return 0;
    const char *r = s + n - 8;
    if (!isupper((unsigned char)r[0]) || !isdigit((unsigned char)r[1]) || (!isdigit((unsigned char)r[2]) && r[2] != 'W'))
        return 0;
    int letters = 0, digits = 0;
    for (int i = 4; i < 8; i++) {
        if (isupper((unsigned char)r[i])) letters++;
        else if (isdigit((unsigned char)r[i])) digits++;
        else return 0;
    }
    return letters && digits ? n - 8 + 1 : 0;
}

/* India's states, which an address prints between the city and the PIN
 * ("Bengaluru, Karnataka 560102"). */
static int in_state(const char *s) {
    static const char *const S[] = {"Andhra Pradesh", "Assam", "Bihar", "Chhattisgarh", "Delhi", "New Delhi", "Goa",
                                    "Gujarat", "Haryana", "Himachal Pradesh", "Jharkhand", "Karnataka", "Kerala",
                                    "Madhya Pradesh", "Maharashtra", "Odisha", "Punjab", "Rajasthan", "Tamil Nadu",
                                    "Telangana", "Uttar Pradesh", "Uttarakhand", "West Bengal", NULL};
    for (int i = 0; S[i]; i++)
        if (!strcasecmp(s, S[i])) return 1;
    return 0;
}

/* 1 when s is longer than its ending e and ends with it. */
static int ends_with(const char *s, const char *e) {
    size_t n = strlen(s), k = strlen(e);
    return n > k + 1 && !strcmp(s + n - k, e);
}

/* A state's or province's short form printed as a part of its own after
 * the town: "SP", "NSW", "N.L.", "B.C." (capitals, dots between them). */
static int region_part(const char *s) {
    if (state_code(s)) return 1;
    size_t n = strlen(s), caps = 0, dots = 0;
    for (size_t i = 0; i < n; i++) {
        if (isupper((unsigned char)s[i])) caps++;
        else if (s[i] == '.' && i > 0 && isupper((unsigned char)s[i - 1])) dots++;
        else return 0;
    }
    return n <= 6 && caps >= 2 && dots >= 1;
}

/* Words a part starts with when it is a part of the premises, not a town:
 * a part of a building (the first N_ROOMS: "Flat 3", "Suite 200"), or
 * another unit, floor, block, lot or box ("Level 12", "P.O. Box 123"). */
static const char *const PREMISES[] = {"Flat", "Studio", "Suite", "Apt", "Apt.", "Apartment", "Unit", "Room", "Floor",
                                       "Ste", "Ste.", "Level", "Box", "P.O.", "PO", "Piso", "Sala", "Andar", "Of.",
                                       "Bldg", "Bldg.", "Block", "Lot", "No", "No.", "Nr", "Nr.",
                                       /* Brazil's "Conj. 1412" (conjunto), "Apto", "Loja", "Bloco";
                                        * Québec's "bureau 2200"; Spanish "Oficina", "Despacho" */
                                       "Conj", "Conj.", "Cj", "Cj.", "Conjunto", "Apto", "Apto.", "Loja", "Bloco",
                                       "Bureau", "Oficina", "Of", "Despacho", NULL};
#define N_ROOMS 9

/* 1 + the index in PREMISES of the word s starts with, or 0. */
static int premise_word(const char *s) {
    size_t k = strcspn(s, " ");
    for (int i = 0; PREMISES[i]; i++)
        if (strlen(PREMISES[i]) == k && !strncasecmp(s, PREMISES[i], k)) return i + 1;
    return 0;
}

/* A UK postcode at the end of s ("WC2B 6UN", "SW1A 1AA", "M1 1AE"):
 * returns its start offset, or -1. */
static long uk_tail(const char *s) {
    size_t n = strlen(s);
    /* inward code: digit + two letters */
    if (n < 6 || !isdigit((unsigned char)s[n - 3]) || !isupper((unsigned char)s[n - 2]) ||
        !isupper((unsigned char)s[n - 1]) || s[n - 4] != ' ')
        return -1;
    /* outward code: 1-2 letters, a digit, then a letter or digit */
    size_t e = n - 4, b = e;
    while (b > 0 && s[b - 1] != ' ') b--;
    size_t k = e - b;
    if (k < 2 || k > 4) return -1;
    size_t i = b, letters = 0;
    while (i < e && isupper((unsigned char)s[i])) i++, letters++;
    if (letters < 1 || letters > 2 || i >= e || !isdigit((unsigned char)s[i])) return -1;
    for (i++; i < e; i++)
        if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i])) return -1;
    return (long)b;
}

static int starts(const char *s, const char *p) { return !strncmp(s, p, strlen(p)); }

/* Russian settlement markers: "г. Москва", "пос. Лесной", "с. Ивановка" ...
 * Returns the length of the marker (with its dot and space) or 0; "д. 5"
 * (a house number) is not a settlement. */
static size_t ru_settlement(const char *s) {
    static const char *const m[] = {"г.", "г ", "гор.", "пгт", "пос.", "п.", "с.", "д.", "дер.", "ст-ца", "клх", "к.",
                                    "рп", "аул", NULL};
    for (int i = 0; m[i]; i++) {
        if (!starts(s, m[i])) continue;
        size_t k = strlen(m[i]);
        while (s[k] == ' ' || s[k] == '.') k++;
        /* a name follows: upper-case Cyrillic (two bytes, D0 xx) */
        if ((unsigned char)s[k] == 0xD0 && s[k + 1]) return k;
        return 0;
    }
    return 0;
}

static int ru_region(const char *s) {
    return strstr(s, "обл.") || strstr(s, "область") || strstr(s, " край") || strstr(s, "Респ") ||
           strstr(s, "респ.") || strstr(s, "АО ") || strstr(s, " р-н");
}

/* "Flat 3", "Studio 7", "Suite 200": a part of a building and its number,
 * so the next part is the street, not the town. */
static int sub_premise(const char *s) {
    int w = premise_word(s);
    size_t k = strcspn(s, " ");
    return w && w <= N_ROOMS && s[k] == ' ' && !strchr(s + k + 1, ' ');
}

/* A part that starts with a four-digit postcode (optionally after a
 * country letter and a dash, or followed by the two Dutch letters) and goes
 * on with a town's name without digits: 1 + the code's offset, else 0. */
static size_t four_digit_code(const char *s) {
    size_t o = 0;
    if (isupper((unsigned char)s[0]) && s[1] == '-') o = 2;
    else if (isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]) && s[2] == '-') o = 3;
    if (!all_digits(s + o, 4) || s[o + 4] != ' ' || !s[o + 5] || has_digit(s + o + 5)) return 0;
    unsigned char c = (unsigned char)s[o + 5];
    if (!isupper(c) && c < 0x80) return 0;
    return o + 1;
}

int ocr_address_dutch_postcode(const char *s) {
    return strspn(s, "0123456789") == 4 && s[4] == ' ' && isupper((unsigned char)s[5]) &&
           isupper((unsigned char)s[6]) && s[7] == ' ' && strncmp(s + 5, "SA", 2) && strncmp(s + 5, "SD", 2) &&
           strncmp(s + 5, "SS", 2);
}

/* Brazil's states, their capitals (as fmt_u8_key gives them) and the
 * capital's area code (DDD). */
static const struct {
    const char uf[3], *capital, ddd[3];
} BR_UF[] = {{"AC", "riobranco", "68"},   {"AL", "maceio", "82"},       {"AM", "manaus", "92"},
             {"AP", "macapa", "96"},      {"BA", "salvador", "71"},     {"CE", "fortaleza", "85"},
             {"DF", "brasilia", "61"},    {"ES", "vitoria", "27"},      {"GO", "goiania", "62"},
             {"MA", "saoluis", "98"},     {"MG", "belohorizonte", "31"}, {"MS", "campogrande", "67"},
             {"MT", "cuiaba", "65"},      {"PA", "belem", "91"},        {"PB", "joaopessoa", "83"},
             {"PE", "recife", "81"},      {"PI", "teresina", "86"},     {"PR", "curitiba", "41"},
             {"RJ", "riodejaneiro", "21"}, {"RN", "natal", "84"},       {"RO", "portovelho", "69"},
             {"RR", "boavista", "95"},    {"RS", "portoalegre", "51"},  {"SC", "florianopolis", "48"},
             {"SE", "aracaju", "79"},     {"SP", "saopaulo", "11"},     {"TO", "palmas", "63"}};

static int br_uf(const char *s) {
    if (strlen(s) != 2) return -1;
    for (size_t i = 0; i < sizeof BR_UF / sizeof *BR_UF; i++)
        if (!strcmp(s, BR_UF[i].uf)) return (int)i;
    return -1;
}

const char *ocr_address_br_ddd(const char *s) {
    int i = br_uf(s);
    return i >= 0 ? BR_UF[i].ddd : NULL;
}

/* A Brazilian CEP in s ("03637-000", "01.310-100", OCR's "03564- 040"):
 * its start and length, and its digits as NNNNN-NNN in cep[10]. 0 when none. */
static int find_cep(const char *s, size_t *at, size_t *len, char cep[10]) {
    for (size_t i = 0; s[i]; i++) {
        if (i && isdigit((unsigned char)s[i - 1])) continue;
        size_t k = i, nd = 0;
        char d[9];
        /* NNNNN or NN.NNN */
        while (nd < 5 && (isdigit((unsigned char)s[k]) || (nd == 2 && s[k] == '.'))) {
            if (s[k] != '.') d[nd++] = s[k];
            k++;
        }
        if (nd != 5) continue;
        if (s[k] == ' ') k++;
        if (s[k] != '-') continue;
        k++;
        if (s[k] == ' ') k++;
        for (; nd < 8 && isdigit((unsigned char)s[k]); k++) d[nd++] = s[k];
        if (nd != 8 || isdigit((unsigned char)s[k])) continue;
        *at = i;
        *len = k - i;
        snprintf(cep, 10, "%.5s-%.3s", d, d + 5);
        return 1;
    }
    return 0;
}

/* A Brazilian address: "Rua Padre João, 331 - Penha - SP, CEP: 03637-000",
 * "Av. Paulista, 1000 - Bela Vista - São Paulo - SP", "Centro | Sao Paulo |
 * SP". Taken when it holds a CEP, or when hint is BR and a part is a state
 * or it ends with a state's capital. The state's two letters are the
 * region; the part before them is the city when it is the state's capital
 * or follows a part that has no digits (street, number, district, city),
 * else the district, left in the street ("331 - Penha - SP"); the rest,
 * the street. 1 when taken. */
static int br_split(const char *address, const char *hint, ocr_address_parts_t *out) {
    char w[512], cep[10] = "";
    if (strlen(address) + 3 >= sizeof w) return 0; /* the general split, which cuts, never overruns */
    snprintf(w, sizeof w, "%s", address);
    size_t at, len;
    if (find_cep(w, &at, &len, cep)) {
        /* the CEP and its label out, a separator in their place */
        size_t b = at, end = at + len;
        while (b && (w[b - 1] == ' ' || w[b - 1] == ':' || w[b - 1] == '.')) b--;
        if (b >= 3 && !strncasecmp(w + b - 3, "cep", 3)) at = b - 3;
        char tail[512];
        snprintf(tail, sizeof tail, "%s", w + end);
        snprintf(w + at, sizeof w - at, " - %s", tail);
    } else if (!hint || strcmp(hint, "BR")) {
        return 0;
    }
    for (char *d = w; (d = strstr(d, "-.")) != NULL; d++) d[1] = ' '; /* "Sao Paulo -.SP": a speck */
    /* the parts, at " - ", '|', ',', and '/' before a state */
    char part[MAX_SEGS][256];
    int n = 0;
    const char *q = w;
    while (*q && n < MAX_SEGS) {
        size_t k = 0;
        for (; q[k]; k++) {
            if (q[k] == '|' || q[k] == ',') break;
            if (q[k] == '-' && (k == 0 || q[k - 1] == ' ') && (q[k + 1] == ' ' || q[k + 1] == '\0')) break;
            if (q[k] == '/' && isupper((unsigned char)q[k + 1]) && isupper((unsigned char)q[k + 2]) &&
                !isalnum((unsigned char)q[k + 3]))
                break;
        }
        put(part[n], sizeof part[n], q, k);
        size_t e = strlen(part[n]);
        while (e && (part[n][e - 1] == '-' || part[n][e - 1] == '.' || part[n][e - 1] == ' ')) part[n][--e] = '\0';
        size_t lead = strspn(part[n], "-. ");
        memmove(part[n], part[n] + lead, strlen(part[n] + lead) + 1);
        if (part[n][0]) n++;
        q += k;
        if (*q) q++;
    }
    if (*q) return 0; /* more parts than kept */
    int uf = -1, ufi = -1;
    for (int i = n - 1; i >= 0 && uf < 0; i--)
        if ((uf = br_uf(part[i])) >= 0) ufi = i;
    int cityi = -1;
    if (uf < 0 && n >= 2 && !has_digit(part[n - 1])) { /* "... - Tatuapé - São Paulo": a capital, its state */
        char f[256];
        fmt_u8_key(part[n - 1], f, sizeof f);
        for (size_t i = 0; i < sizeof BR_UF / sizeof *BR_UF && cityi < 0; i++)
            if (!strcmp(f, BR_UF[i].capital)) {
                cityi = n - 1;
                copy(out->region, sizeof out->region, BR_UF[i].uf);
            }
    }
    if (uf < 0 && !cep[0] && cityi < 0) return 0;
    copy(out->postal_code, sizeof out->postal_code, cep);
    if (uf >= 0) {
        copy(out->region, sizeof out->region, BR_UF[uf].uf);
        if (ufi > 0 && !has_digit(part[ufi - 1])) {
            char f[256];
            fmt_u8_key(part[ufi - 1], f, sizeof f);
            if (!strcmp(f, BR_UF[uf].capital) || (ufi > 1 && !has_digit(part[ufi - 2]))) cityi = ufi - 1;
        }
    }
    if (cityi >= 0) copy(out->city, sizeof out->city, part[cityi]);
    for (int i = 0; i < n; i++) {
        if (i == ufi || i == cityi) continue;
        if (ocr_address_country(part[i])) {
            copy(out->country, sizeof out->country, part[i]);
            continue;
        }
        append(out->street, sizeof out->street, part[i]);
    }
    if (!out->country[0]) copy(out->country, sizeof out->country, "BR");
    return 1;
}

void ocr_address_split(const char *address, const char *country_hint, ocr_address_parts_t *out) {
    memset(out, 0, sizeof *out);
    if (!address || !*address) return;
    if (br_split(address, country_hint, out)) return;
    memset(out, 0, sizeof *out);
    seg_t seg[MAX_SEGS];
    int n = 0;
    const char *p = address;
    while (*p && n < MAX_SEGS) {
        /* parts end at a comma or a dash between spaces ("Via Roma, 45 -
         * 20121 Milano (MI)", "Bengaluru - 560103") */
        size_t k = 0;
        while (p[k] && p[k] != ',' && strncmp(p + k, " - ", 3)) k++;
        put(seg[n].s, sizeof seg[n].s, p, k);
        seg[n].used = 0;
        seg[n].at = (size_t)(p - address);
        if (seg[n].s[0]) n++;
        p += k;
        if (*p) p += *p == ',' ? 1 : 3;
    }
    /* a country printed after the town without a comma ("Nagoya
     * 450-0002 Japan", "51558 Korea"): a part of its own */
    if (n > 0 && n < MAX_SEGS) {
        char *last_sp = strrchr(seg[n - 1].s, ' ');
        if (last_sp && last_sp != seg[n - 1].s && has_digit(seg[n - 1].s) && ocr_address_country(last_sp + 1)) {
            seg[n] = seg[n - 1];
            memmove(seg[n].s, last_sp + 1, strlen(last_sp + 1) + 1);
            seg[n].at += (size_t)(last_sp + 1 - seg[n - 1].s);
            *last_sp = '\0';
            n++;
        }
    }
    const char *shape = "";
    int city_seg = -1, city_i = -1; /* city_i: the part the city came from */
    /* first the country names and the US/UK shapes, which are unambiguous */
    for (int i = 0; i < n; i++) {
        char *s = seg[i].s;
        size_t st, zip, ca, pr, pl, ie;
        long uk;
        if (ocr_address_country(s)) {
            copy(out->country, sizeof out->country, s);
            seg[i].used = 1;
            continue;
        }
        if (!out->postal_code[0] && us_tail(s, &st, &zip)) {
            size_t sl = zip - 1 - st;
            while (sl && (s[st + sl - 1] == ',' || s[st + sl - 1] == ' ')) sl--;
            put(out->region, sizeof out->region, s + st, sl);
            put(out->postal_code, sizeof out->postal_code, s + zip, strlen(s + zip));
            if (st > 0) put(out->city, sizeof out->city, s, st); /* "Port Loriland AZ 90001" */
            seg[i].used = 1;
            shape = "US";
        } else if (!out->postal_code[0] && (uk = uk_tail(s)) >= 0) {
            put(out->postal_code, sizeof out->postal_code, s + uk, strlen(s + uk));
            if (uk > 0) put(out->city, sizeof out->city, s, (size_t)uk);
            seg[i].used = 1;
            shape = "GB";
        } else if (!out->postal_code[0] && au_tail(s)) {
            size_t st = au_tail(s) - 1, n = strlen(s);
            put(out->region, sizeof out->region, s + st, n - 5 - st);
            copy(out->postal_code, sizeof out->postal_code, s + n - 4);
            if (st > 1) put(out->city, sizeof out->city, s, st - 1); /* "Sydney NSW 2000" */
            seg[i].used = 1;
            shape = "AU";
        } else if (!out->postal_code[0] && (ca = ca_tail(s, &pr, &pl)) != 0) {
            size_t c = ca - 1, ce = pl ? pr : c;
            copy(out->postal_code, sizeof out->postal_code, s + c);
            if (pl) put(out->region, sizeof out->region, s + pr, pl);
            while (ce && (s[ce - 1] == ' ' || s[ce - 1] == '(')) ce--;
            if (ce) put(out->city, sizeof out->city, s, ce); /* "Montréal (Québec) H3B 4W8" */
            seg[i].used = 1;
            shape = "CA";
        } else if (!out->postal_code[0] && (ie = ie_tail(s)) != 0) {
            copy(out->postal_code, sizeof out->postal_code, s + ie - 1);
            if (ie > 1) put(out->city, sizeof out->city, s, ie - 2); /* "Cork T12 X8PD" */
            seg[i].used = 1;
            shape = "IE";
        }
        if (!seg[i].used) continue;
        /* a postcode's part without the town: the part before it, when it
         * has no digits ("Toronto, ON M5H 1J9") */
        if (!out->city[0] && i > 0 && !seg[i - 1].used && !has_digit(seg[i - 1].s)) city_seg = i - 1;
        if (out->city[0] && city_i < 0) city_i = i;
    }
    /* then five/six-digit codes ("12634 Clark Loaf" is a US house number
     * once the ZIP has been found) and the Russian markers */
    for (int i = 0; i < n; i++) {
        char *s = seg[i].s;
        if (seg[i].used) continue;
        int dash = (s[0] == 'D' || s[0] == 'F') && s[1] == '-';
        size_t tc = ocr_address_code_before_town(s);
        if (!out->postal_code[0] && tc) {
            /* Czech, Slovak, Swedish, Greek "120 00 Praha 2" (the card's hint
             * tells the country), Polish "00-590 Warszawa", Portuguese
             * "1250-096 Lisboa"; not a number ("03-123 4567") */
            put(out->postal_code, sizeof out->postal_code, s, tc);
            put(out->city, sizeof out->city, s + tc + 1, strlen(s + tc + 1));
            seg[i].used = 1;
            shape = s[tc - 4] != '-' ? "" : tc == 6 ? "PL" : "PT";
        } else if (!out->postal_code[0] && all_digits(s, 2) && s[2] == ' ' && all_digits(s + 3, 3) && s[6] == ' ' &&
                   (isalpha((unsigned char)s[7]) || (unsigned char)s[7] >= 0xC0)) {
            /* French postcode printed in two groups: "68 949 Camus"; a
             * number in groups ("09 223 67 08", Belgian) has no town */
            put(out->postal_code, sizeof out->postal_code, s, 6);
            put(out->city, sizeof out->city, s + 7, strlen(s + 7));
            seg[i].used = 1;
            shape = "FR";
        } else if (!out->postal_code[0] && !strncasecmp(s, "Singapore ", 10) && strlen(s) == 16 && all_digits(s + 10, 6)) {
            /* "Singapore 048616": the city state and its six-digit code */
            put(out->city, sizeof out->city, s, 9);
            copy(out->postal_code, sizeof out->postal_code, s + 10);
            seg[i].used = 1;
            shape = "SG";
        } else if (!out->postal_code[0] && all_digits(s + (dash ? 2 : 0), 5) && s[dash ? 7 : 5] == ' ') {
            /* "80339 München", "F-75002 Paris", "75008 Paris Cedex 08" */
            size_t o = dash ? 2 : 0;
            put(out->postal_code, sizeof out->postal_code, s + o, 5);
            char city[128];
            copy(city, sizeof city, s + o + 6);
            char *cx = strstr(city, " CEDEX");
            if (!cx) cx = strstr(city, " Cedex");
            if (cx) *cx = '\0';
            put(out->city, sizeof out->city, city, strlen(city));
            seg[i].used = 1;
            shape = !dash ? "" : s[0] == 'F' ? "FR" : "DE";
        } else if (!out->postal_code[0] && i > 0 && four_digit_code(s)) {
            /* "2000 Antwerpen", "B-2000 Antwerpen", "1015 CJ Amsterdam", "CH-8001 Zürich": after
             * the street (a US street starts with four digits too) */
            size_t o = four_digit_code(s) - 1, cl = 4;
            if (s[o + 4] == ' ' && isupper((unsigned char)s[o + 5]) && isupper((unsigned char)s[o + 6]) &&
                s[o + 7] == ' ')
                cl = 7;
            put(out->postal_code, sizeof out->postal_code, s + o, cl);
            put(out->city, sizeof out->city, s + o + cl + 1, strlen(s + o + cl + 1));
            seg[i].used = 1;
            /* four digits and two capitals are Dutch only */
            shape = o == 0 && ocr_address_dutch_postcode(s) ? "NL" : "";
        } else if (!out->postal_code[0] && i > 0 && strlen(s) == 5 && all_digits(s, 5)) {
            /* five digits alone after the street ("Gyeongsangnam-do, 51558, Korea") */
            copy(out->postal_code, sizeof out->postal_code, s);
            seg[i].used = 1;
        } else if (!out->postal_code[0] && strlen(s) == 6 && all_digits(s, 6)) {
            /* Russian when the card points to Russia or the address is in
             * Cyrillic; else the town is before it, and an Indian PIN is
             * set off from it by a dash ("Pune - 411026") */
            copy(out->postal_code, sizeof out->postal_code, s);
            seg[i].used = 1;
            int dashed = seg[i].at >= 3 && !strncmp(address + seg[i].at - 3, " - ", 3);
            shape = (country_hint ? !strcmp(country_hint, "RU") : cyrillic(address)) ? "RU" : dashed ? "IN" : "";
            if (strcmp(shape, "RU") && city_seg < 0 && i > 0 && !seg[i - 1].used && !has_digit(seg[i - 1].s))
                city_seg = i - 1;
        } else if (!out->postal_code[0] && jp_tail(s)) {
            /* Japanese "Tokyo 105-0014" */
            size_t k = strlen(s);
            copy(out->postal_code, sizeof out->postal_code, s + k - 8);
            put(out->city, sizeof out->city, s, k - 9);
            seg[i].used = 1;
            shape = "JP";
        } else if (!out->city[0] && city_seg < 0 && ru_settlement(s)) {
            size_t k = ru_settlement(s);
            put(out->city, sizeof out->city, s + k, strlen(s + k));
            seg[i].used = 1;
        } else if (!out->region[0] && ru_region(s)) {
            copy(out->region, sizeof out->region, s);
            seg[i].used = 1;
        }
        if (seg[i].used && out->city[0] && city_i < 0) city_i = i;
    }
    if (city_seg >= 0) {
        copy(out->city, sizeof out->city, seg[city_seg].s);
        seg[city_seg].used = 1;
        city_i = city_seg;
    }
    /* a postcode printed after the town, last: "Pasig City 1605", "Jakarta
     * Selatan 12190", or alone after it: "Cape Town, 8001" */
    int last = n - 1;
    while (last >= 0 && seg[last].used) last--;
    if (!out->postal_code[0] && !out->city[0] && last >= 1) {
        char *s = seg[last].s;
        size_t k = strlen(s), d = 0;
        while (d < k && isdigit((unsigned char)s[k - 1 - d])) d++;
        /* Israel's codes have seven digits ("Herzliya Pituach 4672559") */
        const char *cc = out->country[0] ? ocr_address_country(out->country) : country_hint;
        int il = cc && !strcmp(cc, "IL");
        if (d == 4 && d == k && !seg[last - 1].used && !has_digit(seg[last - 1].s)) {
            copy(out->postal_code, sizeof out->postal_code, s);
            copy(out->city, sizeof out->city, seg[last - 1].s);
            seg[last].used = seg[last - 1].used = 1;
            city_i = last - 1;
        } else if (d >= 4 && (d <= 6 || (d == 7 && il)) && d < k && s[k - d - 1] == ' ' && !premise_word(s)) {
            int head_digits = 0;
            for (size_t q = 0; q + d + 1 < k; q++) head_digits |= isdigit((unsigned char)s[q]) != 0;
            if (!head_digits && (isupper((unsigned char)s[0]) || (unsigned char)s[0] >= 0x80)) {
                copy(out->postal_code, sizeof out->postal_code, s + k - d);
                put(out->city, sizeof out->city, s, k - d - 1);
                seg[last].used = 1;
                city_i = last;
                /* an Indian state between the city and the PIN ("Bengaluru,
                 * Karnataka 560102") */
                if (d == 6 && in_state(out->city) && !seg[last - 1].used && !has_digit(seg[last - 1].s)) {
                    copy(out->region, sizeof out->region, out->city);
                    copy(out->city, sizeof out->city, seg[last - 1].s);
                    seg[last - 1].used = 1;
                    city_i = last - 1;
                }
            }
        }
    }
    /* no postal code: "222 Danny square, Russellchester" - the last part
     * without digits (before a country: "P.O. Box 12345, Dubai, UAE") is
     * the city, unless it is a state's code */
    while (last >= 0 && seg[last].used) last--;
    if (!out->postal_code[0] && !out->city[0] && last >= 1 && !has_digit(seg[last].s) && !state_code(seg[last].s) &&
        !(n == 2 && sub_premise(seg[0].s))) {
        copy(out->city, sizeof out->city, seg[last].s);
        seg[last].used = 1;
        city_i = last;
    }
    /* the state's short form or an Indian state as a part after the town
     * ("64000 Monterrey, N.L.", "Bengaluru - 560103, Karnataka"), or a short
     * form at the town's end ("20121 Milano MI", "Milano (MI)",
     * "Washington DC") */
    int ri = city_i + 1;
    while (city_i >= 0 && ri < n && seg[ri].used && !strcmp(seg[ri].s, out->postal_code)) ri++; /* the PIN between */
    if (!out->region[0] && city_i >= 0 && ri < n && !seg[ri].used && (region_part(seg[ri].s) || in_state(seg[ri].s))) {
        copy(out->region, sizeof out->region, seg[ri].s);
        seg[ri].used = 1;
    }
    if (!out->region[0] && out->city[0]) {
        char *sp = strrchr(out->city, ' ');
        char *w = sp ? sp + 1 : NULL;
        size_t wl = w ? strlen(w) : 0;
        if (wl == 4 && w[0] == '(' && w[3] == ')') w++, wl = 2;
        if (w && wl == 2 && isupper((unsigned char)w[0]) && isupper((unsigned char)w[1])) {
            put(out->region, sizeof out->region, w, 2);
            *sp = '\0';
            trim(out->city);
        }
    }
    /* a Korean province ("-do") and the city before it ("Seongnam-si,
     * Gyeonggi-do 13486", "Changwon-si, Gyeongsangnam-do, 51558 Korea") */
    int doi = -1;
    if (!out->region[0] && ends_with(out->city, "-do")) {
        copy(out->region, sizeof out->region, out->city);
        out->city[0] = '\0';
        doi = city_i;
    }
    for (int i = 0; i < n && !out->region[0]; i++)
        if (!seg[i].used && ends_with(seg[i].s, "-do")) {
            copy(out->region, sizeof out->region, seg[i].s);
            seg[i].used = 1;
            doi = i;
        }
    if (doi > 0 && !out->city[0] && !seg[doi - 1].used &&
        (ends_with(seg[doi - 1].s, "-si") || ends_with(seg[doi - 1].s, "-gun"))) {
        copy(out->city, sizeof out->city, seg[doi - 1].s);
        seg[doi - 1].used = 1;
    }
    for (int i = 0; i < n; i++)
        if (!seg[i].used) append(out->street, sizeof out->street, seg[i].s);
    if (!out->country[0]) {
        /* a US, UK, Russian, Polish, Portuguese, Singapore, Australian,
         * Japanese, Canadian, Irish or Dutch postcode tells the country; a bare five-digit one is German or
         * French (or another's): the card's hint decides */
        int sure = !strcmp(shape, "US") || !strcmp(shape, "GB") || !strcmp(shape, "RU") || !strcmp(shape, "PL") ||
                   !strcmp(shape, "PT") || !strcmp(shape, "SG") || !strcmp(shape, "AU") || !strcmp(shape, "JP") ||
                   !strcmp(shape, "CA") || !strcmp(shape, "IE") || !strcmp(shape, "NL");
        const char *c = !sure && country_hint && strlen(country_hint) == 2 ? country_hint : shape;
        copy(out->country, sizeof out->country, c);
        for (char *q = out->country; *q; q++) *q = (char)toupper((unsigned char)*q);
    }
}

json_t *ocr_address_json(const ocr_address_parts_t *p) {
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "street", p->street, "postal_code", p->postal_code, "city", p->city,
                     "region", p->region, "country", p->country);
}
