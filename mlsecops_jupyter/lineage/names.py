"""What a cell defines, uses and changes, from its syntax tree (no IPython needed).

IPython syntax is neutralised line by line before ``ast.parse``: a ``%magic`` or ``!shell`` line
becomes ``pass`` (keeping the indentation, so blocks stay valid), ``x = !ls`` / ``x = %who_ls``
become ``x = None`` (``x`` is still defined), and the code-running magics (``%time``,
``%timeit``, ``%%time`` ...) have their Python kept. The same function therefore works on live
cells and on the sources of a saved ``.ipynb``.

``used`` lists names read from the namespace *before* the cell bound them (``y = 1; y + 1``
uses nothing), builtins left out; names read inside a function body count as used unless the
cell itself binds them. ``mutated`` lists names whose object the cell probably changed in place:
item or attribute stores (``df["x"] = ...``), calls of mutating methods (``model.fit``,
``rows.append``) and any call with ``inplace=True``. It is an over-approximation on purpose:
a backward slice that includes one cell too many is better than one that misses the fit.

``file_refs`` are file reads and writes visible in the code (``open``, pandas ``read_*`` and
``to_*``, ``np.load``/``np.save``, ``joblib``, ``torch``) with a literal path or a variable
holding one; the recorder resolves variables after the cell ran.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, field
from typing import Any

# Magics whose argument (line magic) or body (cell magic) is Python run in the user namespace.
CODE_LINE_MAGICS = frozenset({"time", "timeit", "prun", "debug"})
CODE_CELL_MAGICS = frozenset({"time", "timeit", "prun", "capture", "debug"})

# Method names that change their receiver in place (sklearn, torch, keras, lists, dicts, sets).
MUTATING_METHODS = frozenset({
    "fit", "partial_fit", "fit_transform", "fit_predict", "fit_resample", "train", "compile",
    "load_state_dict", "set_params", "set_output", "step", "zero_grad", "backward",
    "append", "extend", "insert", "pop", "popitem", "remove", "clear", "sort", "reverse",
    "update", "add", "discard", "setdefault", "resize", "fill", "put", "itemset", "shuffle",
    "rename_axis", "set_index", "reset_index", "drop", "dropna", "fillna", "replace",
    "sort_values", "sort_index", "clip", "where", "mask", "interpolate", "rename", "eval", "query",
})


@dataclass(frozen=True)
class FileCallRule:
    """A call that reads or writes the file named by one of its arguments.

    ``receivers`` restricts the rule to calls on these names (module aliases), None = any.
    ``mode`` is ``read``, ``write`` or ``open`` (decided by the mode argument).
    """

    mode: str
    position: int
    keywords: tuple[str, ...]
    receivers: frozenset[str] | None = None


_PANDAS_READ = FileCallRule("read", 0, ("filepath_or_buffer", "path", "path_or_buf", "io"))
_PANDAS_WRITE = FileCallRule("write", 0, ("path_or_buf", "path", "excel_writer", "fname"))
_NUMPY = frozenset({"np", "numpy"})

FILE_CALLS: dict[str, tuple[FileCallRule, ...]] = {
    "open": (FileCallRule("open", 0, ("file",)),),
    **{name: (_PANDAS_READ,) for name in (
        "read_csv", "read_table", "read_parquet", "read_json", "read_excel", "read_feather",
        "read_pickle", "read_hdf", "read_orc", "read_sas", "read_spss", "read_stata",
        "read_xml", "read_fwf")},
    **{name: (_PANDAS_WRITE,) for name in (
        "to_csv", "to_parquet", "to_json", "to_excel", "to_feather", "to_pickle", "to_hdf",
        "to_orc", "to_stata", "to_xml")},
    "load": (FileCallRule("read", 0, ("file", "filename", "f"),
                          frozenset({"np", "numpy", "joblib", "torch", "pickle"})),),
    "loadtxt": (FileCallRule("read", 0, ("fname",), _NUMPY),),
    "genfromtxt": (FileCallRule("read", 0, ("fname",), _NUMPY),),
    "fromfile": (FileCallRule("read", 0, ("file",), _NUMPY),),
    "save": (FileCallRule("write", 0, ("file",), _NUMPY),
             FileCallRule("write", 1, ("f",), frozenset({"torch"}))),
    "savez": (FileCallRule("write", 0, ("file",), _NUMPY),),
    "savez_compressed": (FileCallRule("write", 0, ("file",), _NUMPY),),
    "savetxt": (FileCallRule("write", 0, ("fname",), _NUMPY),),
    "dump": (FileCallRule("write", 1, ("filename",), frozenset({"joblib"})),),
}

_BUILTINS = frozenset(dir(builtins)) | {"get_ipython", "display", "In", "Out", "exit", "quit"}
_MAGIC_LINE = re.compile(r"^(?P<indent>\s*)(?P<sigil>%{1,2}|!{1,2})(?P<rest>.*)$")
_MAGIC_ASSIGN = re.compile(r"^(?P<indent>\s*)(?P<targets>[A-Za-z_][\w\s,()\[\]]*?)\s*=\s*[%!]")
_HELP_LINE = re.compile(r"^(?P<indent>\s*)[\w.\[\]\"']+\s*\?{1,2}\s*$")
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp,
           ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(frozen=True)
class FileRef:
    """A file the cell reads or writes: a literal path, or the name of a variable holding it."""

    via: str
    mode: str
    path: str | None = None
    variable: str | None = None
    # a path built from names and string literals (``base / "m.joblib"``, ``os.path.join(d, f)``,
    # ``f"{d}/m.joblib"``): its source text, the pieces ("text" or "name", value) and how they
    # join ("path": os.path.join, "concat": ""); the recorder resolves the names to str/Path
    # values of the namespace only, never evaluating code
    expression: str | None = None
    pieces: tuple[tuple[str, str], ...] = ()
    join: str | None = None


@dataclass
class CellNames:
    """Names and file references of one cell (lists keep first-seen order, no duplicates)."""

    defined: list[str] = field(default_factory=list)
    used: list[str] = field(default_factory=list)
    mutated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    magics: list[str] = field(default_factory=list)
    file_refs: list[FileRef] = field(default_factory=list)
    star_import: bool = False
    parse_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The record's ``names`` member (file references go to ``files``, resolved)."""
        return {
            "defined": self.defined, "used": self.used, "mutated": self.mutated,
            "deleted": self.deleted, "magics": self.magics, "star_import": self.star_import,
            "parse_error": self.parse_error,
        }


def python_source(cell: str) -> tuple[str, list[str], list[FileRef]]:
    """The cell as plain Python, the magics it uses, and files named by ``%%writefile``."""
    lines = cell.splitlines()
    magics: list[str] = []
    files: list[FileRef] = []
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        words = lines[first].strip()[2:].split()
        name = words[0] if words else ""
        magics.append(name)
        if name not in CODE_CELL_MAGICS:
            if name == "writefile":
                targets = [w for w in words[1:] if not w.startswith("-")]
                if targets:
                    files.append(FileRef("%%writefile", "write", path=targets[0]))
            return "", magics, files
        lines = lines[first + 1:]
    converted = [_neutralise(line, magics) for line in lines]
    return "\n".join(converted), magics, files


def _neutralise(line: str, magics: list[str]) -> str:
    match = _MAGIC_LINE.match(line)
    if match:
        indent, sigil, rest = match["indent"], match["sigil"], match["rest"]
        if sigil.startswith("%"):
            words = rest.split(None, 1)
            name = words[0] if words else ""
            magics.append(name)
            if name in CODE_LINE_MAGICS and len(words) > 1:
                code = " ".join(w for w in _drop_options(words[1]))
                return indent + code if code else indent + "pass"
        return indent + "pass"
    assign = _MAGIC_ASSIGN.match(line)
    if assign and not _is_comparison(line, assign.end()):
        if line[assign.end() - 1] == "%":
            words = line[assign.end():].lstrip("%").split(None, 1)
            magics.extend(words[:1])
        return f"{assign['indent']}{assign['targets'].strip()} = None"
    if _HELP_LINE.match(line):
        return _HELP_LINE.match(line)["indent"] + "pass"  # type: ignore[index]
    return line


def _is_comparison(line: str, end: int) -> bool:
    """``x == %...`` is not an assignment (nor valid Python anyway)."""
    return line[end - 2:end - 1] in ("=", "!", "<", ">")


def _drop_options(text: str) -> list[str]:
    """``-n1 -r 3 stmt`` -> ``[stmt words]`` for %timeit-style options."""
    words = text.split()
    while words and words[0].startswith("-"):
        option = words.pop(0)
        if option in ("-n", "-r", "-p", "-s") and words:
            words.pop(0)
    return words


def cell_names(cell: str) -> CellNames:
    """Parse ``cell`` (IPython syntax allowed) and collect its names and file references."""
    source, magics, files = python_source(cell)
    result = CellNames(magics=_unique(magics), file_refs=list(files))
    if not source.strip():
        return result
    try:
        tree = ast.parse(source)
        collector = _ModuleNames()
        for statement in tree.body:
            collector.visit(statement)
        mutated, refs = _mutations_and_files(tree)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        result.parse_error = f"{type(exc).__name__}: {str(exc)[:200]}"
        return result
    result.defined = _unique(collector.defined)
    module_bound = set(result.defined)
    deferred = [name for name in collector.deferred_used if name not in module_bound]
    result.used = _unique([n for n in collector.used + deferred if n not in _BUILTINS])
    result.deleted = _unique(collector.deleted)
    result.star_import = collector.star_import
    result.mutated = _unique(mutated)
    result.file_refs.extend(refs)
    return result


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


class _ModuleNames(ast.NodeVisitor):
    """Module-level names in execution order; nested scopes contribute their free names."""

    def __init__(self) -> None:
        self.defined: list[str] = []
        self.used: list[str] = []
        self.deferred_used: list[str] = []  # read when a function runs, i.e. later
        self.deleted: list[str] = []
        self.bound: set[str] = set()
        self.star_import = False

    def _bind(self, name: str) -> None:
        self.defined.append(name)
        self.bound.add(name)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            if node.id not in self.bound:
                self.used.append(node.id)
        elif isinstance(node.ctx, ast.Store):
            self._bind(node.id)
        else:
            self.deleted.append(node.id)
            self.bound.discard(node.id)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self.visit(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
            self.visit(node.target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            if node.target.id not in self.bound:
                self.used.append(node.target.id)
            self._bind(node.target.id)
        else:
            self.visit(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self.visit(node.target)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self.visit(node.target)
        for statement in node.body + node.orelse:
            self.visit(statement)

    visit_AsyncFor = visit_For

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "*":
                self.star_import = True
            else:
                self._bind(alias.asname or alias.name.split(".")[0])

    visit_ImportFrom = visit_Import

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self._bind(node.name)
        for statement in node.body:
            self.visit(statement)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        self.generic_visit(node)
        if node.name:
            self._bind(node.name)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self._bind(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        self.generic_visit(node)
        if node.rest:
            self._bind(node.rest)

    def visit_Global(self, node: ast.Global) -> None:
        return None

    # -- nested scopes -------------------------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for expression in [*node.decorator_list, *_defaults(node.args)]:
            self.visit(expression)
        if node.returns is not None:
            self.visit(node.returns)
        free, global_stores = _free_names(node)
        self.deferred_used.extend(free)
        self._bind(node.name)
        for name in global_stores:
            self._bind(name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expression in [*node.decorator_list, *node.bases,
                           *(k.value for k in node.keywords)]:
            self.visit(expression)
        free, global_stores = _free_names(node)
        self.deferred_used.extend(free)
        self._bind(node.name)
        for name in global_stores:
            self._bind(name)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for expression in _defaults(node.args):
            self.visit(expression)
        free, _ = _free_names(node)
        self.deferred_used.extend(free)

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp
                       | ast.GeneratorExp) -> None:
        self.visit(node.generators[0].iter)  # evaluated in the enclosing scope, right now
        free, _ = _free_names(node)
        self.used.extend(name for name in free if name not in self.bound)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension


def _defaults(args: ast.arguments) -> list[ast.expr]:
    return [*args.defaults, *(d for d in args.kw_defaults if d is not None)]


def _arg_names(args: ast.arguments) -> list[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    every += [a for a in (args.vararg, args.kwarg) if a is not None]
    return [a.arg for a in every]


def _free_names(scope: ast.AST) -> tuple[list[str], list[str]]:
    """Names a nested scope reads from outside itself, and globals it assigns."""
    bound: set[str] = set()
    declared_global: set[str] = set()
    loads: list[str] = []
    global_stores: list[str] = []
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        bound.update(_arg_names(scope.args))
    if isinstance(scope, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        body: list[ast.AST] = []
        for index, generator in enumerate(scope.generators):
            body += [generator.target, *generator.ifs]
            if index:
                body.append(generator.iter)
        body += [scope.key, scope.value] if isinstance(scope, ast.DictComp) else [scope.elt]
    elif isinstance(scope, ast.Lambda):
        body = [scope.body]
    else:
        body = list(scope.body)  # type: ignore[attr-defined]

    def walk(node: ast.AST) -> None:
        if isinstance(node, _SCOPES) and node is not scope:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(node.name)
                for expression in node.decorator_list:
                    walk(expression)
            inner, inner_globals = _free_names(node)
            loads.extend(inner)
            global_stores.extend(inner_globals)
            if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                walk(node.generators[0].iter)
            return
        if isinstance(node, ast.Global):
            declared_global.update(node.names)
        elif isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                loads.append(node.id)
            elif node.id in declared_global:
                global_stores.append(node.id)
            else:
                bound.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update(a.asname or a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        for child in ast.iter_child_nodes(node):
            walk(child)

    for node in body:
        walk(node)
    free = [name for name in loads if name not in bound or name in declared_global]
    return free, global_stores


def _base_name(node: ast.AST) -> str | None:
    """``df`` for ``df.loc[0, "a"]``, ``model.steps[0][1]`` ...; None for calls and literals."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _mutations_and_files(tree: ast.AST) -> tuple[list[str], list[FileRef]]:
    mutated: list[str] = []
    refs: list[FileRef] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.Subscript)) and not isinstance(node.ctx,
                                                                                ast.Load):
            base = _base_name(node.value)
            if base:
                mutated.append(base)
        elif isinstance(node, ast.AugAssign) and not isinstance(node.target, ast.Name):
            base = _base_name(node.target)
            if base:
                mutated.append(base)
        elif isinstance(node, ast.Call):
            _call_effects(node, mutated, refs)
    return mutated, refs


def _call_effects(call: ast.Call, mutated: list[str], refs: list[FileRef]) -> None:
    func = call.func
    receiver: str | None = None
    if isinstance(func, ast.Attribute):
        name = func.attr
        receiver = _base_name(func.value)
        inplace = any(k.arg == "inplace" and isinstance(k.value, ast.Constant)
                      and k.value.value is True for k in call.keywords)
        if receiver and (name in MUTATING_METHODS or inplace):
            mutated.append(receiver)
    elif isinstance(func, ast.Name):
        name = func.id
    else:
        return
    for rule in FILE_CALLS.get(name, ()):
        if rule.receivers is not None and receiver not in rule.receivers:
            continue
        if rule.mode == "open" and receiver not in (None, "io"):
            continue
        argument = _argument(call, rule.position, rule.keywords)
        if argument is None:
            continue
        mode = rule.mode
        via = f"{receiver}.{name}" if receiver else name
        if mode == "open":
            mode_arg = _argument(call, 1, ("mode",))
            text = mode_arg.value if isinstance(mode_arg, ast.Constant) else "r"
            mode = "write" if isinstance(text, str) and set(text) & set("wax+") else "read"
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            refs.append(FileRef(via, mode, path=argument.value))
        elif isinstance(argument, ast.Name):
            refs.append(FileRef(via, mode, variable=argument.id))
        else:
            built = path_pieces(argument)
            if built is not None:
                join, pieces = built
                refs.append(FileRef(via, mode, expression=ast.unparse(argument),
                                    pieces=pieces, join=join))
        break


MAX_PATH_PIECES = 16


def path_pieces(node: ast.expr) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """Names and string literals a path expression is built from, and how they join.

    Handles ``a / "b" / "c"`` and ``os.path.join(a, "b")`` (joined as paths) and f-strings or
    ``+`` of names and literals (concatenated). Anything else (calls, attributes, subscripts,
    format specs) gives ``None``: the path is then not known from the code.
    """
    def text_or_name(item: ast.expr) -> tuple[str, str] | None:
        if isinstance(item, ast.Constant) and isinstance(item.value, str):
            return ("text", item.value)
        if isinstance(item, ast.Name):
            return ("name", item.id)
        return None

    def flatten(item: ast.expr, operator: type) -> list[ast.expr] | None:
        if isinstance(item, ast.BinOp) and isinstance(item.op, operator):
            left = flatten(item.left, operator)
            right = flatten(item.right, operator)
            return None if left is None or right is None else left + right
        return [item]

    join: str
    items: list[ast.expr] | None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        join, items = "path", flatten(node, ast.Div)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        join, items = "concat", flatten(node, ast.Add)
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
          and node.func.attr == "join" and ast.unparse(node.func.value) in ("os.path", "path")
          and not node.keywords):
        join, items = "path", list(node.args)
    elif isinstance(node, ast.JoinedStr):
        join, items = "concat", []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                if value.format_spec is not None or value.conversion not in (-1, 115):
                    return None
                items.append(value.value)
            else:
                items.append(value)
    else:
        return None
    if not items or len(items) > MAX_PATH_PIECES:
        return None
    pieces = [text_or_name(item) for item in items]
    if any(piece is None for piece in pieces):
        return None
    return join, tuple(piece for piece in pieces if piece is not None)


def _argument(call: ast.Call, position: int, keywords: tuple[str, ...]) -> ast.expr | None:
    if len(call.args) > position and not any(isinstance(a, ast.Starred)
                                             for a in call.args[:position + 1]):
        return call.args[position]
    for keyword in call.keywords:
        if keyword.arg in keywords:
            return keyword.value
    return None
