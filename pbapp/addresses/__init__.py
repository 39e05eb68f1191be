"""The address register of a cycle: which addresses are in its area, and in which neighbourhood.

A cycle may require account voters to give an address found in its register before the ballot
(``pbapp.voting.address_step``). The address only opens the ballot: the participation row keeps
at most its neighbourhood (for turnout tables) and the ballot nothing of it.
"""
