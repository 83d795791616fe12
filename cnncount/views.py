"""What a pass costs, in the views a reader asks for, computed once for every renderer.

A :class:`Views` holds the answers (each None where it was not asked for); the renderers in
:mod:`cnncount.render` turn them into text or JSON without computing anything again.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from cnncount.errors import CnncountError
from cnncount.models import MODELS
from cnncount.precision import Batch
from cnncount.table import Shown

if TYPE_CHECKING:  # each view's module is imported when that view is asked for
    from cnncount.conventions import Convention
    from cnncount.memory import TrainingMemory
    from cnncount.receptive import ReceptiveFields
    from cnncount.roofline import Roofline
    from cnncount.summary import Summary
    from cnncount.table import Table

__all__ = ["BatchFit", "ConventionCount", "Views", "compute_views"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchFit(Shown):
    """The largest ``batch`` that fits ``budget`` bytes in the data types of ``like``, for training
    with ``optimizer`` or, where it is None, for inference. It prints as the report's line and
    shows as a table in a notebook.

    Examples:
        >>> fit = BatchFit(budget=16 * 2**30, optimizer="adam", like=Batch(), batch=204)
        >>> fit.batch
        204
        >>> print(fit)
        BUDGET 17,179,869,184 bytes (16.0 GiB) fits a batch of 204 for training with adam in float32
    """

    budget: int
    optimizer: str | None
    like: Batch
    batch: int

    def _table(self) -> Table:
        from cnncount.render.display import batch_fit_table

        return batch_fit_table(self)

    def __str__(self) -> str:
        from cnncount.render.cost import batch_fit_line

        return batch_fit_line(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConventionCount(Shown):
    """What a convention counts for a network: activation values and bytes, and compute (each
    None where the convention counts no such thing). It prints as the report's lines and shows
    as a table in a notebook.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> count = compute_views(summarize(get_model("vgg16")), convention="torchinfo").convention
        >>> count.activation_bytes, count.compute
        (108453696, 15483821032)
        >>> count
        <ConventionCount torchinfo: 108.45 MB, 15.48 G mult-adds>
        >>> print(count)
        CONVENTION torchinfo: Forward/backward pass size (MB) and Total mult-adds (G)
          activation memory: 108.45 MB
          compute:           15.48 G mult-adds
    """

    convention: Convention
    activation_values: int | None
    activation_bytes: int | None
    compute: int | None
    trainable: int | None = None
    """The learned parameters, where the convention prints them (Keras's trainable weights)."""
    non_trainable: int | None = None
    """The buffers, where the convention prints them (Keras's non-trainable weights)."""
    bytes_per_value: int = 4
    """The bytes of one parameter, in the batch's data type."""

    def _table(self) -> Table:
        from cnncount.render.display import convention_count_table

        return convention_count_table(self)

    def __str__(self) -> str:
        from cnncount.render.cost import convention_lines

        return convention_lines(self)

    def __repr__(self) -> str:
        from cnncount.render.display import convention_count_repr

        return convention_count_repr(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class Views:
    """The views of what a pass costs for a batch; each None where it was not asked for. They
    print as the report's sections and show as their tables in a notebook.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> views = compute_views(summarize(get_model("vgg16")), optimizer="sgd")
        >>> views.inference_peak_bytes, views.training.total, views.receptive_fields
        (579722400, 1180049728, None)
        >>> views
        <Views for a batch of 1, float32: inference_peak_bytes, training>
        >>> print(str(views).splitlines()[0])  # the report's sections, as str() gives them
        INFERENCE peak: 579,722,400 bytes ~= 580 MB (553 MiB), batch of 1, float32
    """

    batch: Batch
    inference_peak_bytes: int | None
    training: TrainingMemory | None
    largest_batch: BatchFit | None
    convention: ConventionCount | None
    receptive_fields: ReceptiveFields | None
    roofline: Roofline | None

    def __str__(self) -> str:
        from cnncount.render.cost import cost_sections

        return "\n\n".join(cost_sections(self))

    def __repr__(self) -> str:
        from cnncount.render.display import views_repr

        return views_repr(self)

    def _repr_html_(self) -> str:
        from cnncount.render.display import views_html

        return views_html(self)

    def _repr_markdown_(self) -> str:
        from cnncount.render.display import views_markdown

        return views_markdown(self)

    @property
    def asked(self) -> bool:
        """Whether any view was asked for.

        Examples:
            >>> from cnncount import get_model, summarize
            >>> compute_views(summarize(get_model("vgg16"))).asked
            False
        """
        return bool(self.items())

    def items(self) -> list[tuple[str, object]]:
        """Return each view asked for as its field's name and its value, in the report's order.

        Examples:
            >>> from cnncount import get_model, summarize
            >>> [name for name, _ in compute_views(summarize(get_model("vgg16")), optimizer="sgd").items()]
            ['inference_peak_bytes', 'training']
        """
        views = ((field.name, getattr(self, field.name)) for field in fields(self)[1:])
        return [(name, view) for name, view in views if view is not None]


def compute_views(
    summary: Summary,
    batch: Batch | None = None,
    optimizer: str | None = None,
    budget: int | None = None,
    convention: str | None = None,
    receptive: bool = False,
    *,
    accumulation: int = 1,
    segments: int = 1,
    device: str | None = None,
) -> Views:
    """Return the views asked for: training memory with ``optimizer`` (its gradients accumulated
    over ``accumulation`` batches, its activations checkpointed in ``segments``), the largest
    batch that fits ``budget`` bytes, the counts of ``convention``, the ``receptive`` fields, and
    the roofline bound on ``device`` (a named profile or a custom one, see
    :func:`cnncount.roofline.get_device`). The inference peak comes with either of the first two.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> views = compute_views(summarize(get_model("vgg16")), budget=16 * 2**30)
        >>> views.largest_batch.batch, views.training
        (632, None)
        >>> compute_views(summarize(get_model("vgg16")), optimizer="lamb")
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: unknown optimizer 'lamb'; optimizers: sgd, momentum, adagrad, rmsprop, adam, adamw, adamax, nadam, radam, adadelta, amsgrad
    """
    batch = Batch() if batch is None else batch
    peak = training = fit = count = receptive_list = None
    if optimizer is not None or budget is not None:
        from cnncount.memory import inference_peak_bytes, largest_batch, training_memory

        peak = inference_peak_bytes(summary, batch)
        if optimizer is not None:
            training = training_memory(summary, batch, optimizer, accumulation, segments)
        if budget is not None:
            fits = largest_batch(summary, budget, batch, optimizer, segments)
            fit = BatchFit(budget=budget, optimizer=optimizer, like=batch, batch=fits)
    if convention is not None:
        count = _convention_count(summary, batch, convention)
    if receptive:
        from cnncount.receptive import receptive_fields

        receptive_list = receptive_fields(summary)
    bounds = None
    if device is not None:
        from cnncount.roofline import get_device, roofline

        bounds = roofline(summary, get_device(device), batch)
    return Views(
        batch=batch,
        inference_peak_bytes=peak,
        training=training,
        largest_batch=fit,
        convention=count,
        receptive_fields=receptive_list,
        roofline=bounds,
    )


def _convention_count(summary: Summary, batch: Batch, name: str) -> ConventionCount:
    from cnncount.conventions import activation_values, compute_count, get_convention

    convention = get_convention(name)
    if convention.memory is not None and convention.memory.rows == "layers":
        _require_activations(summary, convention.name)
    values = activation_values(summary, convention) if convention.memory else None
    return ConventionCount(
        convention=convention,
        activation_values=values,
        activation_bytes=None if values is None else batch.bytes(values),
        compute=compute_count(summary, convention) if convention.compute else None,
        trainable=summary.totals.params if convention.params else None,
        non_trainable=summary.totals.buffers if convention.params else None,
        bytes_per_value=batch.bytes_per_value,
    )


def _require_activations(summary: Summary, convention: str) -> None:
    """Refuse to count every module's output of a network whose activations are implied.

    A tool that counts every module's output (torchsummary) counts the ReLUs that PyTorch runs;
    the paper's notation leaves them implied, so its networks have none to count.
    """
    if any(row.layer is not None and row.layer.category == "activation" for row in summary.rows):
        return
    twins = [name for name, model in MODELS.items() if model.torchvision == summary.model]
    instead = f"count {twins[0]}, which writes it out" if twins else "write each ReLU out"
    msg = (
        f"convention {convention!r} counts the output of every module PyTorch runs, ReLUs included, "
        f"but {summary.model} has no activation layer (the paper's notation leaves them implied): {instead}"
    )
    raise CnncountError(msg)
