# Concerns are handled in the safeguarding screens, with every view audited; they are deliberately
# not in the Django admin, where views would not be.
