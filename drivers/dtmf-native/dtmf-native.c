/*
 * The software DTMF receiver's arithmetic in C (src/dsp/dtmf-filters.ts, `DtmfFilters`): each
 * 32-sample block's energy and twelve Goertzel filters, and each window's tapered DFT, powers and
 * phase advances. The receiver's decisions stay in TypeScript.
 *
 * It must give what `TS_DTMF_FILTERS` gives, bit for bit (test/dtmf-native.test.ts checks every
 * file of the bench battery): doubles throughout, as JavaScript numbers are, each coefficient read
 * as the float32 the receiver holds, the same operations in the same order (x + c a - b, left to
 * right), results rounded to float32 as a Float32Array store rounds them. No fused multiply-add:
 * it rounds once where JavaScript rounds twice.
 *
 * The XS side takes ArrayBuffers and byte offsets (dtmf-native.js passes each view's buffer):
 * xsmcGetBuffer takes only byte-sized typed arrays. Nothing here allocates or calls back into XS,
 * so no buffer moves while it runs.
 *
 * Built without XS (RINGDOWN_DTMF_NO_XS: test/native-dtmf/harness.c) for the host test with gcc.
 */
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <stdint.h>

/* The sum of the squares of `count` samples (exact in a double: at most 2^30 each). */
static double ringdown_dtmf_energy(const int16_t *src, int count)
{
	int64_t energy = 0;
	for (int n = 0; n < count; n++)
		energy += (int32_t)src[n] * (int32_t)src[n];
	return (double)energy;
}

/*
 * Filter k over `count` samples: s = x + coef[k] a - b; stores a - cos[k] b and sin[k] b as
 * float32 at k * stride + slot. Four filters a pass over the samples, as the TypeScript does (the
 * order across filters changes nothing: each filter's own operations are the same).
 */
static void ringdown_dtmf_goertzel(const int16_t *src, int count, const float *coef, const float *cosw, const float *sinw, int bins, float *re, float *im, int stride, int slot)
{
	int k = 0;
	for (; k + 4 <= bins; k += 4) {
		const double c0 = coef[k], c1 = coef[k + 1], c2 = coef[k + 2], c3 = coef[k + 3];
		double a0 = 0, b0 = 0, a1 = 0, b1 = 0, a2 = 0, b2 = 0, a3 = 0, b3 = 0;
		for (int n = 0; n < count; n++) {
			const double x = src[n];
			double s;
			s = x + c0 * a0; s = s - b0; b0 = a0; a0 = s;
			s = x + c1 * a1; s = s - b1; b1 = a1; a1 = s;
			s = x + c2 * a2; s = s - b2; b2 = a2; a2 = s;
			s = x + c3 * a3; s = s - b3; b3 = a3; a3 = s;
		}
		re[k * stride + slot] = (float)(a0 - (double)cosw[k] * b0);
		im[k * stride + slot] = (float)((double)sinw[k] * b0);
		re[(k + 1) * stride + slot] = (float)(a1 - (double)cosw[k + 1] * b1);
		im[(k + 1) * stride + slot] = (float)((double)sinw[k + 1] * b1);
		re[(k + 2) * stride + slot] = (float)(a2 - (double)cosw[k + 2] * b2);
		im[(k + 2) * stride + slot] = (float)((double)sinw[k + 2] * b2);
		re[(k + 3) * stride + slot] = (float)(a3 - (double)cosw[k + 3] * b3);
		im[(k + 3) * stride + slot] = (float)((double)sinw[k + 3] * b3);
	}
	for (; k < bins; k++) {
		const double c = coef[k];
		double a = 0, b = 0;
		for (int n = 0; n < count; n++) {
			double s = (double)src[n] + c * a;
			s = s - b;
			b = a;
			a = s;
		}
		re[k * stride + slot] = (float)(a - (double)cosw[k] * b);
		im[k * stride + slot] = (float)((double)sinw[k] * b);
	}
}

/*
 * Each filter's tapered window from its last `taps` block values (ring slot (first + i) % taps,
 * stride taps): w = sum of block * tap; power = scale |w|^2 (float32); for k < advanced the phase
 * advance since the last window, w conj(last) rot (doubles); last = w (float32).
 */
static void ringdown_dtmf_taper(const float *re, const float *im, const float *tapRe, const float *tapIm, int taps, int first, double scale, float *power, int bins, float *lastRe, float *lastIm, const float *rotRe, const float *rotIm, double *advRe, double *advIm, int advanced)
{
	for (int k = 0; k < bins; k++) {
		double wr = 0, wi = 0;
		const int row = k * taps;
		for (int i = 0, j = first; i < taps; i++, j = (j == taps - 1) ? 0 : j + 1) {
			const double tr = tapRe[row + i], ti = tapIm[row + i];
			const double r = re[row + j], m = im[row + j];
			wr = wr + (r * tr - m * ti);
			wi = wi + (r * ti + m * tr);
		}
		power[k] = (float)(scale * (wr * wr + wi * wi));
		if (k < advanced) {
			const double pr = lastRe[k];
			const double pi = -(double)lastIm[k];
			const double dr = wr * pr - wi * pi;
			const double di = wr * pi + wi * pr;
			const double rr = rotRe[k], ri = rotIm[k];
			advRe[k] = dr * rr - di * ri;
			advIm[k] = dr * ri + di * rr;
		}
		lastRe[k] = (float)wr;
		lastIm[k] = (float)wi;
	}
}

#ifndef RINGDOWN_DTMF_NO_XS
#include "xsmc.h"

/* The bytes of an ArrayBuffer argument from `offset`, checked to hold `bytes`. */
static void *ringdown_dtmf_view(xsMachine *the, int arg, int offset, int bytes, int writable)
{
	void *data;
	xsUnsignedValue length;
	if (writable)
		xsmcGetBufferWritable(xsArg(arg), &data, &length);
	else
		xsmcGetBufferReadable(xsArg(arg), &data, &length);
	if (offset < 0 || bytes < 0 || (xsUnsignedValue)offset + (xsUnsignedValue)bytes > length || (offset & 1))
		xsRangeError("DTMF filters: argument %d out of range", arg);
	return (uint8_t *)data + offset;
}

/* energy(samples: ArrayBuffer, byteOffset, count): number */
void xs_ringdown_dtmf_energy(xsMachine *the)
{
	int count = xsmcToInteger(xsArg(2));
	const int16_t *src = ringdown_dtmf_view(the, 0, xsmcToInteger(xsArg(1)), count * 2, 0);
	xsmcSetNumber(xsResult, ringdown_dtmf_energy(src, count));
}

/*
 * goertzel(samples, byteOffset, count, coef, cos, sin, re, im, stride, slot): the ArrayBuffers of
 * the receiver's Float32Arrays (offset 0), `bins` the length of coef.
 */
void xs_ringdown_dtmf_goertzel(xsMachine *the)
{
	int count = xsmcToInteger(xsArg(2));
	const int16_t *src = ringdown_dtmf_view(the, 0, xsmcToInteger(xsArg(1)), count * 2, 0);
	void *data;
	xsUnsignedValue length;
	xsmcGetBufferReadable(xsArg(3), &data, &length);
	int bins = (int)(length / sizeof(float));
	const float *coef = data;
	const float *cosw = ringdown_dtmf_view(the, 4, 0, bins * 4, 0);
	const float *sinw = ringdown_dtmf_view(the, 5, 0, bins * 4, 0);
	int stride = xsmcToInteger(xsArg(8));
	int slot = xsmcToInteger(xsArg(9));
	if (stride < 1 || slot < 0 || slot >= stride)
		xsRangeError("DTMF filters: slot %d of stride %d", slot, stride);
	float *re = ringdown_dtmf_view(the, 6, 0, bins * stride * 4, 1);
	float *im = ringdown_dtmf_view(the, 7, 0, bins * stride * 4, 1);
	ringdown_dtmf_goertzel(src, count, coef, cosw, sinw, bins, re, im, stride, slot);
}

/*
 * taper(re, im, tapRe, tapIm, taps, first, scale, power, lastRe, lastIm, rotRe, rotIm, advRe,
 * advIm, advanced): the ArrayBuffers of the receiver's typed arrays (offset 0), `bins` the length
 * of power.
 */
void xs_ringdown_dtmf_taper(xsMachine *the)
{
	void *data;
	xsUnsignedValue length;
	int taps = xsmcToInteger(xsArg(4));
	int first = xsmcToInteger(xsArg(5));
	double scale = xsmcToNumber(xsArg(6));
	int advanced = xsmcToInteger(xsArg(14));
	xsmcGetBufferWritable(xsArg(7), &data, &length);
	int bins = (int)(length / sizeof(float));
	float *power = data;
	if (taps < 1 || first < 0 || first >= taps || advanced < 0 || advanced > bins)
		xsRangeError("DTMF filters: window of %d taps from %d, %d of %d advanced", taps, first, advanced, bins);
	const float *re = ringdown_dtmf_view(the, 0, 0, bins * taps * 4, 0);
	const float *im = ringdown_dtmf_view(the, 1, 0, bins * taps * 4, 0);
	const float *tapRe = ringdown_dtmf_view(the, 2, 0, bins * taps * 4, 0);
	const float *tapIm = ringdown_dtmf_view(the, 3, 0, bins * taps * 4, 0);
	float *lastRe = ringdown_dtmf_view(the, 8, 0, bins * 4, 1);
	float *lastIm = ringdown_dtmf_view(the, 9, 0, bins * 4, 1);
	const float *rotRe = ringdown_dtmf_view(the, 10, 0, advanced * 4, 0);
	const float *rotIm = ringdown_dtmf_view(the, 11, 0, advanced * 4, 0);
	double *advRe = ringdown_dtmf_view(the, 12, 0, advanced * 8, 1);
	double *advIm = ringdown_dtmf_view(the, 13, 0, advanced * 8, 1);
	ringdown_dtmf_taper(re, im, tapRe, tapIm, taps, first, scale, power, bins, lastRe, lastIm, rotRe, rotIm, advRe, advIm, advanced);
}
#endif
