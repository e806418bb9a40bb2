/* ALSA reports errors through a printf-style variadic handler, which stable
 * Rust cannot define. This shim formats each message and hands the finished
 * line to mockint_alsa_message (Rust), which sends it to `tracing`.
 * The prototype is declared here so no ALSA headers are needed to build. */
#include <stdarg.h>
#include <stdio.h>

typedef void (*alsa_error_handler)(const char *file, int line, const char *function,
                                   int err, const char *fmt, ...);
extern int snd_lib_error_set_handler(alsa_error_handler handler);
extern void mockint_alsa_message(const char *file, int line, const char *function,
                                 int err, const char *message);

static void mockint_alsa_handler(const char *file, int line, const char *function,
                                 int err, const char *fmt, ...) {
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt ? fmt : "", ap);
    va_end(ap);
    mockint_alsa_message(file, line, function, err, message);
}

int mockint_alsa_capture_errors(void) {
    return snd_lib_error_set_handler(mockint_alsa_handler);
}
