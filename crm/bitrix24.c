/* bitrix24.c - Bitrix24 REST client: envelope parsing, batch, bucket, HTTP. */
#define GR_LOG_MODULE "sync"
#include "crm/bitrix24.h"

#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <curl/curl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define REPLY_MAX (16u << 20) /* a reply larger than this is refused */
#define BUDGET_METHODS 32
#define BLOCK_GUESS_S 60.0   /* blocked without saying until when: look again after this */
#define WINDOW_MAX_S 600.0   /* Bitrix24's window; a reset farther away is a clock problem */
#define RESET_MARGIN_S 1.0   /* operating_reset_at is whole seconds, and clocks differ a little */

typedef struct {
    char method[48];
    double operating, reset_at; /* last reply's account; reset_at Unix seconds, 0 unknown */
    double blocked_until;       /* after OPERATION_TIME_LIMIT, Unix seconds */
    int slow_logged;
} budget_t;

struct crm_b24 {
    char *base;                /* secret: never logged */
    CURL *curl;
    struct curl_slist *headers;
    crm_b24_bucket_t bucket;
    double timeout_s;
    crm_b24_wait_fn wait;
    void *wait_ctx;
    unsigned long requests;
    budget_t budget[BUDGET_METHODS];
    size_t nbudget;
    double limit_s, slow_at, stop_at, max_delay_s;
    unsigned long budget_waits;
    double budget_wait_s;
};

static double unix_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void crm_b24_reply_clear(crm_b24_reply_t *r) {
    if (!r) return;
    json_decref(r->result);
    memset(r, 0, sizeof *r);
    r->next = r->total = -1;
    r->operating = r->operating_reset_at = -1;
}

static double json_num(json_t *v) {
    if (json_is_number(v)) return json_number_value(v);
    if (json_is_string(v)) {
        char *end;
        double x = strtod(json_string_value(v), &end);
        if (end != json_string_value(v) && *end == '\0') return x;
    }
    return -1;
}

static void read_time(json_t *t, crm_b24_reply_t *out) {
    out->operating = json_num(json_object_get(t, "operating"));
    out->operating_reset_at = json_num(json_object_get(t, "operating_reset_at"));
}

static void set_msg(crm_b24_reply_t *r, const char *fmt, const char *arg) {
    snprintf(r->message, sizeof r->message, fmt, arg ? arg : "");
}

/* ---- URL ------------------------------------------------------------- */

int crm_b24_url_check(const char *url, char *err, size_t errlen) {
    const char *host;
    if (!url || !*url) {
        snprintf(err, errlen, "the Bitrix24 webhook URL is empty");
        return GR_ERR_INVAL;
    }
    if (strncasecmp(url, "https://", 8) == 0) {
        host = url + 8;
    } else if (strncasecmp(url, "http://", 7) == 0) {
        host = url + 7;
        size_t n = strcspn(host, ":/");
        int loop = (n == 9 && strncmp(host, "127.0.0.1", 9) == 0) ||
                   (n == 9 && strncasecmp(host, "localhost", 9) == 0) ||
                   strncmp(host, "[::1]", 5) == 0;
        if (!loop) {
            snprintf(err, errlen, "the Bitrix24 webhook URL must use https:// (http:// only to 127.0.0.1/localhost)");
            return GR_ERR_INVAL;
        }
    } else {
        snprintf(err, errlen, "the Bitrix24 webhook URL must start with https://");
        return GR_ERR_INVAL;
    }
    if (*host == '\0' || *host == '/' || strpbrk(url, " \t\r\n\"'<>\\") ||
        !strstr(host, "/rest/")) {
        snprintf(err, errlen, "the Bitrix24 webhook URL is malformed (expected https://PORTAL/rest/USER/CODE/)");
        return GR_ERR_INVAL;
    }
    return GR_OK;
}

/* ---- replies ----------------------------------------------------------- */

crm_b24_class_t crm_b24_classify(long http_status, const char *error) {
    static const char *const transient[] = {"QUERY_LIMIT_EXCEEDED", "OVERLOAD_LIMIT", "INTERNAL_SERVER_ERROR",
                                            "OPERATION_TIME_LIMIT", NULL};
    static const char *const auth[] = {"NO_AUTH_FOUND", "expired_token", "INVALID_CREDENTIALS", "ACCESS_DENIED",
                                       "insufficient_scope", "invalid_token", "authorization_error",
                                       "WRONG_AUTH_TYPE", NULL};
    if (error && *error) {
        for (int i = 0; transient[i]; i++)
            if (strcasecmp(error, transient[i]) == 0) return CRM_B24_TRANSIENT;
        for (int i = 0; auth[i]; i++)
            if (strcasecmp(error, auth[i]) == 0) return CRM_B24_AUTH;
    }
    if (http_status == 401 || http_status == 403) return CRM_B24_AUTH;
    if (http_status == 0) return CRM_B24_REJECTED; /* inside a batch: a record-level refusal */
    if (http_status == 429 || http_status == 408 || http_status >= 500)
        return CRM_B24_TRANSIENT;
    return CRM_B24_REJECTED;
}

static long long json_ll(json_t *v) {
    if (json_is_integer(v)) return json_integer_value(v);
    if (json_is_string(v)) {
        char *end;
        const char *s = json_string_value(v);
        long long x = strtoll(s, &end, 10);
        if (end != s && *end == '\0') return x;
    }
    return -1;
}

crm_b24_class_t crm_b24_parse(long http_status, const char *body, size_t len, crm_b24_reply_t *out) {
    out->http_status = http_status;
    out->next = out->total = -1;
    out->operating = out->operating_reset_at = -1;
    out->result = NULL;
    out->error[0] = out->message[0] = '\0';
    json_error_t jerr;
    json_t *root = body && len ? json_loadb(body, len, JSON_DECODE_ANY, &jerr) : NULL;
    if (json_is_object(root)) read_time(json_object_get(root, "time"), out);
    if (!json_is_object(root)) {
        json_decref(root);
        out->cls = http_status >= 200 && http_status < 300 ? CRM_B24_TRANSIENT : crm_b24_classify(http_status, NULL);
        snprintf(out->message, sizeof out->message, "HTTP %ld with a reply that is not a Bitrix24 JSON object",
                 http_status);
        return out->cls;
    }
    json_t *err = json_object_get(root, "error");
    json_t *res = json_object_get(root, "result");
    if (err && !json_is_null(err) && !res) {
        const char *code = json_is_string(err) ? json_string_value(err) : "";
        const char *desc = json_string_value(json_object_get(root, "error_description"));
        snprintf(out->error, sizeof out->error, "%s", code);
        if (desc && *desc)
            set_msg(out, "%s", desc);
        else if (*code)
            set_msg(out, "%s", code);
        else
            snprintf(out->message, sizeof out->message, "HTTP %ld error without a description", http_status);
        out->cls = crm_b24_classify(http_status >= 200 && http_status < 300 ? 400 : http_status, code);
    } else if (res && http_status >= 200 && http_status < 300) {
        out->cls = CRM_B24_OK;
        out->result = json_incref(res);
        out->next = json_ll(json_object_get(root, "next"));
        out->total = json_ll(json_object_get(root, "total"));
    } else {
        out->cls = http_status >= 200 && http_status < 300 ? CRM_B24_TRANSIENT : crm_b24_classify(http_status, NULL);
        snprintf(out->message, sizeof out->message, "HTTP %ld reply without result or error", http_status);
    }
    json_decref(root);
    return out->cls;
}

int crm_b24_split_batch(json_t *result, const char *const *keys, size_t n, crm_b24_reply_t *replies) {
    json_t *res = json_object_get(result, "result");
    json_t *errs = json_object_get(result, "result_error");
    json_t *nexts = json_object_get(result, "result_next");
    json_t *totals = json_object_get(result, "result_total");
    json_t *times = json_object_get(result, "result_time");
    int ok = json_is_object(result) && (json_is_object(res) || json_is_array(res)) &&
             (!errs || json_is_object(errs) || json_is_array(errs));
    for (size_t i = 0; i < n; i++) {
        crm_b24_reply_t *r = &replies[i];
        r->next = r->total = -1;
        r->operating = r->operating_reset_at = -1;
        if (json_is_object(times)) read_time(json_object_get(times, keys[i]), r);
        r->http_status = 200;
        r->result = NULL;
        if (!ok) {
            r->cls = CRM_B24_TRANSIENT;
            set_msg(r, "%s", "batch reply is malformed");
            continue;
        }
        json_t *e = json_is_object(errs) ? json_object_get(errs, keys[i]) : NULL;
        json_t *v = json_is_object(res) ? json_object_get(res, keys[i]) : NULL;
        if (e) {
            const char *code = json_string_value(json_object_get(e, "error"));
            const char *desc = json_string_value(json_object_get(e, "error_description"));
            snprintf(r->error, sizeof r->error, "%s", code ? code : "");
            set_msg(r, "%s", desc && *desc ? desc : (code && *code ? code : "rejected inside batch"));
            r->cls = crm_b24_classify(0, code);
        } else if (v) {
            r->cls = CRM_B24_OK;
            r->result = json_incref(v);
            if (json_is_object(nexts)) r->next = json_ll(json_object_get(nexts, keys[i]));
            if (json_is_object(totals)) r->total = json_ll(json_object_get(totals, keys[i]));
        } else {
            r->cls = CRM_B24_TRANSIENT;
            set_msg(r, "%s", "command was not run by batch");
        }
    }
    return ok ? GR_OK : GR_ERR_FORMAT;
}

/* ---- query strings ------------------------------------------------------- */

typedef struct {
    char *p;
    size_t len, cap;
    int oom;
} buf_t;

static void buf_add(buf_t *b, const char *s, size_t n) {
    if (b->oom) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_esc(buf_t *b, const char *s) {
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            buf_add(b, (const char *)&c, 1);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_add(b, e, 3);
        }
    }
}

static void enc(buf_t *b, buf_t *key, json_t *v) {
    size_t klen = key->len;
    char num[64];
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) {
            if (klen) buf_add(key, "[", 1);
            buf_esc(key, k);
            if (klen) buf_add(key, "]", 1);
            enc(b, key, x);
            key->len = klen;
            if (key->p) key->p[klen] = '\0';
        }
        return;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            snprintf(num, sizeof num, "[%zu]", i);
            buf_add(key, num, strlen(num));
            enc(b, key, x);
            key->len = klen;
            if (key->p) key->p[klen] = '\0';
        }
        return;
    }
    if (!key->p) return;
    if (b->len) buf_add(b, "&", 1);
    buf_add(b, key->p, key->len);
    buf_add(b, "=", 1);
    if (json_is_string(v)) {
        buf_esc(b, json_string_value(v));
    } else if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        buf_add(b, num, strlen(num));
    } else if (json_is_real(v)) {
        snprintf(num, sizeof num, "%.17g", json_real_value(v));
        buf_add(b, num, strlen(num));
    } else if (json_is_true(v)) {
        buf_add(b, "Y", 1);
    } else if (json_is_false(v)) {
        buf_add(b, "N", 1);
    }
}

char *crm_b24_query_encode(json_t *params) {
    buf_t b = {0}, key = {0};
    buf_add(&b, "", 0);
    if (json_is_object(params)) enc(&b, &key, params);
    free(key.p);
    if (b.oom || key.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* ---- bucket ---------------------------------------------------------------- */

void crm_b24_bucket_init(crm_b24_bucket_t *b, double rate, double burst, double now) {
    b->rate = rate > 0 ? rate : 1;
    b->burst = burst >= 1 ? burst : 1;
    b->credit = 0;
    b->last = now;
}

double crm_b24_bucket_take(crm_b24_bucket_t *b, double now) {
    if (now > b->last) {
        b->credit += (now - b->last) * b->rate;
        if (b->credit > b->burst) b->credit = b->burst;
    }
    b->last = now > b->last ? now : b->last;
    if (b->credit >= 1.0) {
        b->credit -= 1.0;
        return 0;
    }
    double w = (1.0 - b->credit) / b->rate;
    return w > 1e-4 ? w : 1e-4;
}

/* ---- HTTP -------------------------------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }
void crm_b24_curl_init(void) { pthread_once(&curl_once, curl_init_once); }

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx) {
    buf_t *b = ctx;
    size_t n = size * nmemb;
    if (b->len + n > REPLY_MAX) return 0;
    buf_add(b, data, n);
    return b->oom ? 0 : n;
}

/* Aborts a transfer in flight when the wait function says stop. */
static int on_progress(void *ctx, curl_off_t a, curl_off_t b, curl_off_t c2, curl_off_t d) {
    (void)a; (void)b; (void)c2; (void)d;
    crm_b24_t *c = ctx;
    return c->wait(c->wait_ctx, 0) ? 1 : 0;
}

static int default_wait(void *ctx, double s) {
    (void)ctx;
    struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
    nanosleep(&ts, NULL);
    return 0;
}

int crm_b24_new(const char *url, double rate, double timeout_s, crm_b24_t **out, char *err, size_t errlen) {
    int rc = crm_b24_url_check(url, err, errlen);
    if (rc != GR_OK) return rc;
    pthread_once(&curl_once, curl_init_once);
    crm_b24_t *c = calloc(1, sizeof *c);
    if (!c) goto nomem;
    size_t n = strlen(url);
    c->base = malloc(n + 2);
    if (!c->base) goto nomem;
    memcpy(c->base, url, n + 1);
    if (url[n - 1] != '/') strcat(c->base, "/");
    c->curl = curl_easy_init();
    if (!c->curl) goto nomem;
    c->headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (!c->headers) goto nomem;
    crm_b24_bucket_init(&c->bucket, rate, rate > 1 ? rate : 1, gr_now_mono());
    c->timeout_s = timeout_s > 0 ? timeout_s : 60;
    c->wait = default_wait;
    crm_b24_set_budget(c, 480, 0.5, 0.9, 10);
    *out = c;
    return GR_OK;
nomem:
    crm_b24_free(c);
    snprintf(err, errlen, "out of memory");
    return GR_ERR_NOMEM;
}

void crm_b24_free(crm_b24_t *c) {
    if (!c) return;
    if (c->curl) curl_easy_cleanup(c->curl);
    curl_slist_free_all(c->headers);
    if (c->base) {
        memset(c->base, 0, strlen(c->base)); /* the secret does not linger in freed memory */
        free(c->base);
    }
    free(c);
}

void crm_b24_set_wait(crm_b24_t *c, crm_b24_wait_fn fn, void *ctx) {
    c->wait = fn ? fn : default_wait;
    c->wait_ctx = ctx;
}

unsigned long crm_b24_requests(const crm_b24_t *c) { return c->requests; }
double crm_b24_rate(const crm_b24_t *c) { return c->bucket.rate; }
double crm_b24_timeout(const crm_b24_t *c) { return c->timeout_s; }

/* ---- method execution-time budget ------------------------------------------------ */

void crm_b24_set_budget(crm_b24_t *c, double limit_s, double slow_at, double stop_at, double max_delay_s) {
    c->limit_s = limit_s > 0 ? limit_s : 480;
    c->slow_at = slow_at > 0 && slow_at < 1 ? slow_at : 0.5;
    c->stop_at = stop_at > c->slow_at && stop_at <= 1 ? stop_at : 0.9;
    c->max_delay_s = max_delay_s >= 0 ? max_delay_s : 10;
}

static budget_t *budget_of(crm_b24_t *c, const char *method, int create) {
    for (size_t i = 0; i < c->nbudget; i++)
        if (!strcmp(c->budget[i].method, method)) return &c->budget[i];
    if (!create || strlen(method) >= sizeof c->budget[0].method) return NULL;
    size_t i = c->nbudget < BUDGET_METHODS ? c->nbudget++ : 0; /* full: reuse the first slot */
    memset(&c->budget[i], 0, sizeof c->budget[i]);
    snprintf(c->budget[i].method, sizeof c->budget[i].method, "%s", method);
    return &c->budget[i];
}

static double wait_for(const crm_b24_t *c, const budget_t *b, double now) {
    if (!b) return 0;
    if (b->blocked_until > now) return b->blocked_until - now;
    if (b->reset_at > 0 && b->reset_at <= now) return 0; /* the window ended: the account is back to zero */
    double share = b->operating / c->limit_s;
    if (share >= c->stop_at) {
        if (b->reset_at > now && b->reset_at - now <= WINDOW_MAX_S) return b->reset_at - now;
        return BLOCK_GUESS_S; /* no reset time known: look again later */
    }
    if (share >= c->slow_at) return c->max_delay_s * (share - c->slow_at) / (c->stop_at - c->slow_at);
    return 0;
}

double crm_b24_budget_wait(const crm_b24_t *c, const char *method) {
    for (size_t i = 0; i < c->nbudget; i++)
        if (!strcmp(c->budget[i].method, method)) return wait_for(c, &c->budget[i], unix_now());
    return 0;
}

void crm_b24_budget_stats(const crm_b24_t *c, unsigned long *waits, double *seconds) {
    if (waits) *waits = c->budget_waits;
    if (seconds) *seconds = c->budget_wait_s;
}

/* What a reply says about its method's account. */
static void budget_note(crm_b24_t *c, const char *method, const crm_b24_reply_t *r) {
    double now = unix_now();
    int blocked = !strcasecmp(r->error, "OPERATION_TIME_LIMIT");
    if (r->operating < 0 && !blocked) return;
    budget_t *b = budget_of(c, method, 1);
    if (!b) return;
    if (r->operating >= 0) b->operating = r->operating;
    if (r->operating_reset_at > 0) b->reset_at = r->operating_reset_at + RESET_MARGIN_S;
    if (blocked) {
        double until = b->reset_at > now && b->reset_at - now <= WINDOW_MAX_S ? b->reset_at : now + BLOCK_GUESS_S;
        b->blocked_until = until;
        LOG_W("Bitrix24 blocked %s for running too long (OPERATION_TIME_LIMIT): waiting %.0f s", method, until - now);
    } else if (b->operating >= c->slow_at * c->limit_s && !b->slow_logged) {
        b->slow_logged = 1;
        LOG_I("%s has run %.0f s of its %.0f s in this window: slowing down", method, b->operating, c->limit_s);
    } else if (b->operating < c->slow_at * c->limit_s) {
        b->slow_logged = 0;
    }
}

/* Wait as long as the most used of methods[] asks (a delay when slowing
 * down, until the window ends when stopped or blocked), in steps of at most
 * a second so a stop is seen. Returns nonzero to stop. */
static int budget_wait(crm_b24_t *c, const char *const *methods, size_t n) {
    double now = unix_now(), w = 0;
    for (size_t i = 0; i < n; i++) {
        double x = wait_for(c, budget_of(c, methods[i], 0), now);
        if (x > w) w = x;
    }
    if (w <= 0) return 0;
    c->budget_waits++;
    for (double until = now + w; (now = unix_now()) < until;) {
        double step = until - now > 1.0 ? 1.0 : until - now;
        c->budget_wait_s += step;
        if (c->wait(c->wait_ctx, step)) return 1;
    }
    return 0;
}

int crm_b24_call(crm_b24_t *c, const char *method, json_t *params, crm_b24_reply_t *out) {
    int rc = GR_OK;
    char *body = NULL, *url = NULL;
    buf_t reply = {0};
    if (strcmp(method, "batch") != 0 && budget_wait(c, &method, 1)) return GR_ERR_STOPPED;
    for (;;) {
        double w = crm_b24_bucket_take(&c->bucket, gr_now_mono());
        if (w <= 0) break;
        if (c->wait(c->wait_ctx, w)) return GR_ERR_STOPPED;
    }
    body = params ? json_dumps(params, JSON_COMPACT) : strdup("{}");
    size_t ulen = strlen(c->base) + strlen(method) + 8;
    url = malloc(ulen);
    if (!body || !url) {
        out->cls = CRM_B24_TRANSIENT;
        set_msg(out, "%s", "out of memory");
        rc = GR_OK;
        goto out;
    }
    snprintf(url, ulen, "%s%s.json", c->base, method);
    CURL *h = c->curl;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, c->headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(c->timeout_s * 1000));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)(c->timeout_s < 10 ? c->timeout_s * 1000 : 10000));
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
    curl_easy_setopt(h, CURLOPT_USERAGENT, "greeter-sync/1");
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, c);
    c->requests++;
    CURLcode cc = curl_easy_perform(h);
    if (cc == CURLE_ABORTED_BY_CALLBACK) {
        rc = GR_ERR_STOPPED;
        out->cls = CRM_B24_TRANSIENT;
        out->in_doubt = 1;
        set_msg(out, "%s", "stopped");
        goto out;
    }
    if (cc != CURLE_OK) {
        out->cls = CRM_B24_TRANSIENT;
        out->http_status = 0;
        out->next = out->total = -1;
        /* Refused or unresolvable: nothing left. Else (timeout, dropped,
         * reset) the CRM may have the request and still act on it. */
        out->in_doubt = cc != CURLE_COULDNT_CONNECT && cc != CURLE_COULDNT_RESOLVE_HOST &&
                        cc != CURLE_COULDNT_RESOLVE_PROXY && cc != CURLE_UNSUPPORTED_PROTOCOL &&
                        cc != CURLE_URL_MALFORMAT;
        snprintf(out->message, sizeof out->message, "%s: network error: %s", method, curl_easy_strerror(cc));
        goto out;
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    crm_b24_parse(status, reply.p, reply.len, out);
    if (strcmp(method, "batch") != 0) budget_note(c, method, out);
out:
    free(reply.p);
    free(url);
    free(body);
    return rc;
}

int crm_b24_exec(crm_b24_t *c, crm_b24_cmd_t *cmds, size_t n, int use_batch) {
    size_t i = 0;
    int stop = 0;
    while (i < n && !stop) {
        if (!use_batch || n - i == 1) {
            crm_b24_reply_clear(&cmds[i].reply);
            if (crm_b24_call(c, cmds[i].method, cmds[i].params, &cmds[i].reply) != GR_OK) return GR_ERR_STOPPED;
            if (cmds[i].reply.cls == CRM_B24_TRANSIENT || cmds[i].reply.cls == CRM_B24_AUTH) stop = 1;
            i++;
            continue;
        }
        size_t m = n - i < CRM_B24_BATCH_MAX ? n - i : CRM_B24_BATCH_MAX;
        char keys[CRM_B24_BATCH_MAX][8];
        const char *kp[CRM_B24_BATCH_MAX];
        crm_b24_reply_t rep = {0};
        json_t *cmd = json_object(), *params = json_pack("{s:i,s:o}", "halt", 0, "cmd", cmd);
        int oom = !cmd || !params;
        for (size_t j = 0; j < m && !oom; j++) {
            snprintf(keys[j], sizeof keys[j], "c%zu", j);
            kp[j] = keys[j];
            char *q = crm_b24_query_encode(cmds[i + j].params);
            size_t len = (q ? strlen(q) : 0) + strlen(cmds[i + j].method) + 2;
            char *line = q ? malloc(len) : NULL;
            if (line) snprintf(line, len, "%s?%s", cmds[i + j].method, q);
            if (!line || json_object_set_new(cmd, keys[j], json_string(line)) != 0) oom = 1;
            free(line);
            free(q);
        }
        if (oom) {
            json_decref(params);
            for (size_t j = i; j < n; j++) {
                crm_b24_reply_clear(&cmds[j].reply);
                cmds[j].reply.cls = CRM_B24_TRANSIENT;
                set_msg(&cmds[j].reply, "%s", "out of memory");
            }
            return GR_OK;
        }
        const char *ms[CRM_B24_BATCH_MAX];
        for (size_t j = 0; j < m; j++) ms[j] = cmds[i + j].method;
        if (budget_wait(c, ms, m)) {
            json_decref(params);
            return GR_ERR_STOPPED;
        }
        int rc = crm_b24_call(c, "batch", params, &rep);
        json_decref(params);
        if (rc != GR_OK) return GR_ERR_STOPPED;
        crm_b24_reply_t *reps = calloc(m, sizeof *reps);
        if (rep.cls == CRM_B24_OK && reps) {
            crm_b24_split_batch(rep.result, kp, m, reps);
            for (size_t j = 0; j < m; j++) {
                crm_b24_reply_clear(&cmds[i + j].reply);
                cmds[i + j].reply = reps[j];
                budget_note(c, cmds[i + j].method, &reps[j]);
            }
        } else {
            for (size_t j = 0; j < m; j++) {
                crm_b24_reply_clear(&cmds[i + j].reply);
                cmds[i + j].reply.cls = reps ? rep.cls : CRM_B24_TRANSIENT;
                cmds[i + j].reply.http_status = rep.http_status;
                cmds[i + j].reply.in_doubt = rep.in_doubt;
                memcpy(cmds[i + j].reply.error, rep.error, sizeof rep.error);
                memcpy(cmds[i + j].reply.message, rep.message, sizeof rep.message);
            }
            /* A whole batch refused with 400 (e.g. too long) is not any one
             * record's fault: retry later rather than killing the records. */
            if (rep.cls == CRM_B24_REJECTED)
                for (size_t j = 0; j < m; j++) cmds[i + j].reply.cls = CRM_B24_TRANSIENT;
            stop = rep.cls != CRM_B24_OK;
        }
        free(reps);
        crm_b24_reply_clear(&rep);
        i += m;
    }
    for (; i < n; i++) {
        crm_b24_reply_clear(&cmds[i].reply);
        cmds[i].reply.cls = CRM_B24_TRANSIENT;
        set_msg(&cmds[i].reply, "%s", "not sent");
    }
    return GR_OK;
}
