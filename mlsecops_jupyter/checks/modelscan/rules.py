"""Rule table of the model-file scanner: ids, default severities, meaning and advice."""

from __future__ import annotations

from ...core.rules import Rule, register
from ...core.severity import Severity

CHECK = "modelscan"

_TRUSTED_FORMAT = (
    "Load only files from sources you trust; prefer a data-only format (safetensors, ONNX without "
    "external data, .npy without object arrays) and re-export the model from code you control."
)

RULES = register(
    [
        Rule(
            "MODEL-PICKLE-EXEC", CHECK, Severity.CRITICAL,
            "Pickle calls a dangerous function on load",
            "The pickle imports a callable that can run commands, import code, open files or "
            "sockets, and invokes it (REDUCE/INST/OBJ/NEWOBJ/BUILD): loading the file runs code.",
            "Do not load this file. " + _TRUSTED_FORMAT,
        ),
        Rule(
            "MODEL-PICKLE-DANGEROUS-GLOBAL", CHECK, Severity.CRITICAL,
            "Pickle imports a dangerous callable",
            "The pickle imports a dangerous callable without an immediate call; it can still be "
            "invoked indirectly (as an argument, through __setstate__, or a later REDUCE).",
            "Do not load this file. " + _TRUSTED_FORMAT,
        ),
        Rule(
            "MODEL-PICKLE-UNRESOLVED-GLOBAL", CHECK, Severity.HIGH,
            "Pickle imports a name that cannot be determined statically",
            "A STACK_GLOBAL or INST takes its module or name from a value the scanner cannot "
            "resolve (computed, or forgotten memo entry): it could import anything.",
            "Treat the file as untrusted; re-create it from code you control.",
        ),
        Rule(
            "MODEL-PICKLE-UNKNOWN-GLOBAL", CHECK, Severity.MEDIUM,
            "Pickle imports a callable outside the allowlist",
            "The pickle imports a global that is neither on the allowlist of known-safe "
            "reconstruction functions nor on the denylist. It runs that import on load.",
            "Check that the named module and class are yours or trusted; if so, add "
            "\"module:name\" = \"safe\" to [tool.mlsec.modelscan.globals].",
        ),
        Rule(
            "MODEL-PICKLE-ANOMALY", CHECK, Severity.MEDIUM,
            "Pickle stream is built in an unusual way",
            "Opcodes a normal pickler never emits in this order (data after STOP, several "
            "appended pickles where one is expected, calls on non-callables, memo tricks).",
            "Regenerate the file with the library's own save function from a trusted source.",
        ),
        Rule(
            "MODEL-ARCHIVE-ANOMALY", CHECK, Severity.MEDIUM,
            "Archive structure can hide content from scanners",
            "Zip central directory and local headers disagree, duplicate or odd member names, "
            "CRC mismatches, encryption or flag bits: loaders and scanners may see different "
            "members. Every member found either way was scanned.",
            "Re-create the archive with the framework's own save function.",
        ),
        Rule(
            "MODEL-ARCHIVE-PATH-TRAVERSAL", CHECK, Severity.HIGH,
            "Archive member name escapes the extraction folder",
            "A member of a zip, tar or 7z archive is named with '..' components or an absolute "
            "path: whoever unpacks it with a tool that does not sanitise names writes outside "
            "the target folder (overwriting code or configuration). The member was scanned "
            "like any other.",
            "Do not unpack this archive; re-create it with the framework's own save function.",
        ),
        Rule(
            "MODEL-ARCHIVE-SYMLINK", CHECK, Severity.MEDIUM,
            "Archive contains a symbolic link",
            "A member of the archive is a symbolic link. Unpacked, it makes later members (or "
            "the loader) read or write where it points; a link to an absolute path or through "
            "'..' points outside the archive and is rated high.",
            "Model archives need no links; re-create the archive without them.",
        ),
        Rule(
            "MODEL-NUMPY-OBJECT-ARRAY", CHECK, Severity.LOW,
            "NumPy file holds an object array (a pickle)",
            "Loading needs allow_pickle=True, which unpickles the embedded stream; its imports "
            "are scanned and reported separately.",
            "Store numeric arrays only, or save object data in a data-only format.",
        ),
        Rule(
            "MODEL-SAFETENSORS-INVALID", CHECK, Severity.MEDIUM,
            "safetensors header is inconsistent",
            "Header size, dtypes, shapes or byte ranges disagree with the file (out-of-range or "
            "overlapping offsets, size mismatch, trailing bytes): a crafted file can crash or "
            "confuse loaders, or smuggle data.",
            "Re-export the tensors with the safetensors library from a trusted model.",
        ),
        Rule(
            "MODEL-ONNX-EXTERNAL-DATA", CHECK, Severity.HIGH,
            "ONNX external data points outside the model's folder",
            "A tensor's external-data location is absolute or escapes the model directory "
            "(.., symlinks): loading reads arbitrary files of the machine.",
            "Keep external data files next to the model with relative, contained paths.",
        ),
        Rule(
            "MODEL-ONNX-CUSTOM-OP", CHECK, Severity.MEDIUM,
            "ONNX model uses custom operator domains",
            "Operators from a domain other than the standard ONNX ones need a custom-op library "
            "(native code) registered at load time.",
            "Verify the custom-op library's origin before registering it.",
        ),
        Rule(
            "MODEL-KERAS-LAMBDA", CHECK, Severity.HIGH,
            "Keras model contains a Lambda layer (serialised Python code)",
            "A Lambda layer stores Python bytecode or source that runs when the model is "
            "loaded with safe_mode off or by older Keras/TensorFlow versions.",
            "Replace Lambda layers by registered custom layers, and load with safe_mode=True.",
        ),
        Rule(
            "MODEL-KERAS-CUSTOM-OBJECT", CHECK, Severity.MEDIUM,
            "Keras model needs custom objects from outside Keras",
            "Layers, losses or functions from non-Keras modules are imported when the model is "
            "loaded.",
            "Check that the named modules are yours; pass them explicitly as custom_objects.",
        ),
        Rule(
            "MODEL-KERAS-UNSAFE-API", CHECK, Severity.HIGH,
            "Keras config refers to a non-modeling API",
            "keras.utils.get_file (downloads on load) or "
            "keras.config.enable_unsafe_deserialization (turns safe mode off for every later "
            "load) appears in the config or a Lambda's code; Keras versions before its "
            "denylist resolve them while loading.",
            "Do not load this model; no model needs these APIs in its config.",
        ),
        Rule(
            "MODEL-KERAS-TORCH-MODULE", CHECK, Severity.MEDIUM,
            "Keras model embeds a pickled torch module",
            "A TorchModuleWrapper layer stores a torch.save of a torch.nn.Module (base64) that "
            "is loaded with torch.load(weights_only=False), i.e. unpickled, when safe mode is "
            "off (CVE-2025-49655). The embedded pickle is scanned and its findings reported "
            "separately.",
            "Load with safe_mode=True, or rebuild the torch module in code and load weights only.",
        ),
        Rule(
            "MODEL-TF-DANGEROUS-OP", CHECK, Severity.HIGH,
            "TensorFlow graph uses an op that reaches outside the model",
            "The SavedModel's graph or one of its functions holds ReadFile/WriteFile (any file "
            "of the machine) or PyFunc/EagerPyFunc (Python callbacks) nodes, which run when "
            "the model is served or called.",
            "Do not serve this model; re-export it from code you control.",
        ),
        Rule(
            "MODEL-GGUF-TEMPLATE", CHECK, Severity.HIGH,
            "GGUF chat template reaches Python internals",
            "The Jinja chat template in the GGUF metadata walks Python attributes (__class__, "
            "__globals__, __subclasses__...), the known way out of Jinja to os and subprocess "
            "(CVE-2024-34359): a runtime that renders it without a sandbox runs code with "
            "every chat. Critical when it also names command or code execution.",
            "Do not serve this model; replace the chat template by a known one.",
        ),
        Rule(
            "MODEL-SKOPS-UNTRUSTED-TYPE", CHECK, Severity.MEDIUM,
            "skops file needs types outside skops' trusted set",
            "schema.json names types, functions or methods that skops.io.load imports and "
            "builds only when the caller trusts them; the list is what a user would be asked to "
            "trust. Dangerous callables (by the pickle policy) are rated as in a pickle.",
            "Trust only types you recognise; never pass trusted=True for a file from elsewhere.",
        ),
        Rule(
            "MODEL-TFLITE-CUSTOM-OP", CHECK, Severity.MEDIUM,
            "TFLite model uses custom operators",
            "Custom operators need native kernels registered by the application before the "
            "model runs; Flex ops run TensorFlow kernels (file-reading ones are reported as "
            "MODEL-TF-DANGEROUS-OP).",
            "Verify where the custom-op kernels come from before registering them.",
        ),
        Rule(
            "MODEL-TORCHSCRIPT-CODE", CHECK, Severity.INFO,
            "TorchScript archive contains code",
            "The archive carries TorchScript code that runs in the TorchScript interpreter when "
            "the model is used.",
            "Load TorchScript only from trusted sources.",
        ),
        Rule(
            "MODEL-MALFORMED", CHECK, Severity.MEDIUM,
            "File is truncated or corrupt",
            "The file claims a known format but does not parse (truncated, corrupt, or crafted "
            "to break parsers). Whatever was read before the damage was scanned.",
            "Obtain an intact copy from a trusted source.",
        ),
        Rule(
            "MODEL-UNSUPPORTED", CHECK, Severity.LOW,
            "Format not recognised or not inspectable",
            "The content matches no model format the scanner understands, so its safety is not "
            "known.",
            "Convert the model to a supported format, or verify its origin.",
        ),
        Rule(
            "MODEL-SCAN-INCOMPLETE", CHECK, Severity.HIGH,
            "Scan stopped at a safety limit",
            "A bound on decompressed size, archive nesting depth, member count, opcode count or "
            "pickle stack size was reached, so the rest of the file was not examined: it may hold "
            "code that runs on load (files are built to hit such limits). It blocks like a high "
            "finding; modelscan.incomplete_severity sets its severity.",
            "Raise the limit named in the finding in [tool.mlsec.modelscan] if the file is "
            "legitimately that large, and scan again.",
        ),
    ]
)
