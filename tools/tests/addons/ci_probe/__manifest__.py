{
    "name": "CI probe",
    "summary": "Tiny addon whose tests make tools/run-tests see each kind of outcome",
    "version": "18.0.1.0.0",
    "license": "LGPL-3",
    "author": "Guarantee Management Contributors",
    "depends": ["base"],
    "installable": True,
}
