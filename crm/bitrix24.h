/* bitrix24.h - a Bitrix24 REST client over an inbound-webhook base URL:
 * the reply envelope, error classes, PHP-style query strings for `batch`,
 * a client-side leaky bucket, and the HTTP calls themselves (libcurl).
 *
 * The webhook URL is a secret: nothing here logs it, and error messages name
 * only the method called.
 */
#ifndef CRM_BITRIX24_H
#define CRM_BITRIX24_H

#include <jansson.h>
#include <stddef.h>

/* What a reply means for the caller. */
typedef enum {
    CRM_B24_OK = 0,        /* result present */
    CRM_B24_TRANSIENT,     /* 503 QUERY_LIMIT_EXCEEDED/OVERLOAD, 5xx, 429, network, garbage: retry later */
    CRM_B24_AUTH,          /* 401/403: the webhook is refused; pause */
    CRM_B24_REJECTED,      /* 400 and other 4xx: this request will never succeed */
} crm_b24_class_t;

/* One parsed reply. `result` (and `next`, `total`) are owned by the reply:
 * crm_b24_reply_clear. */
typedef struct {
    crm_b24_class_t cls;
    long http_status;
    json_t *result;      /* the "result" member, NULL unless cls == OK */
    long long next;      /* "next" of a list page, -1 when absent */
    long long total;     /* "total" of a list page, -1 when absent */
    char error[64];      /* the CRM's "error" code, "" when none */
    char message[256];   /* human text: error_description, or what went wrong */
    int in_doubt;        /* the request left (or may have) but no HTTP reply came back (timeout, dropped
                          * connection, aborted): the CRM may still be acting on it */
    double operating;    /* time.operating: seconds the method has run for this portal in the current
                          * window (inside a batch: the command's own method), -1 when absent */
    double operating_reset_at; /* time.operating_reset_at (Unix seconds) when that window ends, -1 */
} crm_b24_reply_t;

void crm_b24_reply_clear(crm_b24_reply_t *r);

/* Check a webhook base URL: https://HOST/..., or http:// to 127.0.0.1,
 * ::1 or localhost only. GR_OK or GR_ERR_INVAL with a message in err that
 * never contains the URL itself. */
int crm_b24_url_check(const char *url, char *err, size_t errlen);

/* Classify and parse an HTTP reply (status and body). Never fails: any
 * malformed body becomes CRM_B24_TRANSIENT (status 2xx/5xx: a captive portal
 * or a proxy page) or CRM_B24_REJECTED (4xx) with a message saying so.
 * *out must be zeroed or cleared before. Returns out->cls. */
crm_b24_class_t crm_b24_parse(long http_status, const char *body, size_t len, crm_b24_reply_t *out);

/* Class for an error object {"error","error_description"} as found in a
 * batch's result_error or a top-level error body, given the HTTP status
 * (0 inside a batch). */
crm_b24_class_t crm_b24_classify(long http_status, const char *error);

/* Split a parsed `batch` reply result (out of crm_b24_parse) into one reply
 * per command key: keys[i] gets replies[i] (OK with its result, or the
 * class of its result_error, or TRANSIENT "no result" when the command was
 * not run, e.g. after halt). Accepts PHP-style [] for empty maps. Returns
 * GR_OK or GR_ERR_FORMAT when `result` is not a batch result (then every
 * reply is TRANSIENT). replies[] must be zeroed; the caller clears each. */
int crm_b24_split_batch(json_t *result, const char *const *keys, size_t n, crm_b24_reply_t *replies);

/* Encode params as a PHP-style query string (fields[PHONE][0][VALUE]=..),
 * the form `batch` commands use. true/false become Y/N, null an empty
 * value. Returns a malloc'd string owned by the caller, NULL on no memory. */
char *crm_b24_query_encode(json_t *params);

/* A leaky bucket on the client's side. Starts empty of credit (so a
 * restarted process cannot burst), refills at `rate` per second up to
 * `burst` requests. Plain value type, not thread-safe. */
typedef struct {
    double rate, burst, credit, last;
} crm_b24_bucket_t;

void crm_b24_bucket_init(crm_b24_bucket_t *b, double rate, double burst, double now);
/* Take one request at time `now` (seconds, monotonic). Returns 0 when it may
 * go now (the credit is spent), else the seconds to wait before asking again
 * (nothing taken). */
double crm_b24_bucket_take(crm_b24_bucket_t *b, double now);

/* libcurl's global initialisation, once per process (thread-safe); the
 * client constructors call it, other libcurl users in crm/ may too. */
void crm_b24_curl_init(void);

/* The client. */
typedef struct crm_b24 crm_b24_t;

/* url: webhook base (checked with crm_b24_url_check; copied). rate: requests
 * per second. timeout_s: whole-request limit. On success *out is owned by
 * the caller: crm_b24_free. */
int crm_b24_new(const char *url, double rate, double timeout_s, crm_b24_t **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void crm_b24_free(crm_b24_t *c);

/* Called while the client waits for the bucket; return nonzero to give up
 * (the call then returns GR_ERR_STOPPED). May be NULL. */
typedef int (*crm_b24_wait_fn)(void *ctx, double seconds);
void crm_b24_set_wait(crm_b24_t *c, crm_b24_wait_fn fn, void *ctx);

/* The client's rate (requests/s) and whole-request timeout (s). */
double crm_b24_rate(const crm_b24_t *c);
double crm_b24_timeout(const crm_b24_t *c);

/* Number of HTTP requests sent so far. */
unsigned long crm_b24_requests(const crm_b24_t *c);

/* Method execution-time budget. Bitrix24 blocks a method for the whole
 * portal (429 OPERATION_TIME_LIMIT) once it has run more than limit_s
 * (480) in its 10-minute window; every reply says how much it has used
 * (time.operating) and when the window ends. The client remembers that per
 * method and, before calling a method again (also inside a batch), waits:
 * nothing below slow_at (0.5) of the limit; from there up to max_delay_s
 * (10), growing with the share used; from stop_at (0.9), or after the
 * portal blocked the method, until its window ends. Waits go through the
 * wait function (so a stop ends them). */
void crm_b24_set_budget(crm_b24_t *c, double limit_s, double slow_at, double stop_at, double max_delay_s);

/* Seconds the client would wait now before calling method (0 = none). */
double crm_b24_budget_wait(const crm_b24_t *c, const char *method);

/* How often and how long (seconds) the client waited for the budget. */
void crm_b24_budget_stats(const crm_b24_t *c, unsigned long *waits, double *seconds);

/* POST method.json with a JSON body (params is only read). Fills *out (zeroed
 * before; caller clears). Returns GR_OK when a reply (of any class) was
 * classified, GR_ERR_STOPPED when the wait function asked to stop. */
int crm_b24_call(crm_b24_t *c, const char *method, json_t *params, crm_b24_reply_t *out);

/* A command for crm_b24_exec. method/params are read; reply is filled. */
typedef struct {
    const char *method;
    json_t *params;
    crm_b24_reply_t reply;
} crm_b24_cmd_t;

/* Run n commands. use_batch: in `batch` calls of up to 50 (halt=0);
 * else one call each. Stops early after a TRANSIENT or AUTH reply of the
 * transport (commands not run then get TRANSIENT "not sent"). Returns GR_OK
 * or GR_ERR_STOPPED. */
int crm_b24_exec(crm_b24_t *c, crm_b24_cmd_t *cmds, size_t n, int use_batch);

#define CRM_B24_BATCH_MAX 50

#endif
