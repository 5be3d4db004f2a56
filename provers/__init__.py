"""Provers: first-order logic (`provers.fol`, LINC) and interactive theorem proving (`provers.itp`, ReProver)."""
