"""Built-in networks that branch, written with :class:`~cnncount.builder.Builder`.

Each module builds one family with torchvision's layer names (``layer3.1.conv2``); the chains
(LeNet, AlexNet, VGG) are written in the layer notation in :mod:`cnncount.models`.
"""

__all__: list[str] = []
