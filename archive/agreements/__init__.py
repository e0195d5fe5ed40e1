"""Written commitments of the talks: agreements, their provisions and deadlines, how far each was
implemented, and which statements speak about which provision, and how."""
