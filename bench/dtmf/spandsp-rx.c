/*
 * Bench peer: spandsp's DTMF receiver (the one inside FreeSWITCH), run with its default settings
 * over a raw 8 kHz signed 16-bit little-endian file. Prints the digits found, a tab, and the
 * processing time in seconds (reading the file not counted).
 * Built at bench time: cc spandsp-rx.c -lspandsp
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <spandsp.h>

static char found[65536];
static size_t count = 0;

static void digits(void *user_data, const char *d, int len) {
    (void) user_data;
    for (int i = 0; i < len && count + 1 < sizeof(found); i++) found[count++] = d[i];
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: spandsp-rx FILE.raw\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fseek(f, 0, SEEK_SET);
    int16_t *samples = malloc(bytes > 0 ? (size_t) bytes : 1);
    size_t n = fread(samples, 2, (size_t) bytes / 2, f);
    fclose(f);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    dtmf_rx_state_t *rx = dtmf_rx_init(NULL, digits, NULL);
    for (size_t at = 0; at < n; at += 160) {
        size_t len = n - at < 160 ? n - at : 160;
        dtmf_rx(rx, samples + at, (int) len);
    }
    dtmf_rx_free(rx);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    found[count] = '\0';
    printf("%s\t%.6f\n", found, (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9);
    free(samples);
    return 0;
}
