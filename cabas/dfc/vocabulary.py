"""The Data Food Consortium (DFC) terms Cabas reads and writes, and where each is declared.

The DFC ontology 1.16.0 declares its classes and properties in the business ontology
(prefix ``dfc-b``); the taxonomies (measures ``dfc-m``, product types ``dfc-pt``, vocabulary
``dfc-v`` for statuses) are SKOS concept schemes. The namespaces below are those of the
published 1.16.0 context (see docs/interop.md for the sources).

The DFC connectors (the libraries OFN and others use) write a few property names that the
ontology does not declare: ``CONNECTOR_PROPERTIES`` lists them with the ontology's own name
where there is one. Cabas writes the connectors' names where OFN reads only those, and will
accept both when it reads.
"""

from __future__ import annotations

BUSINESS = "https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#"
TECHNICAL = "https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_TechnicalOntology.owl#"
FULL_MODEL = (
    "https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_FullModel.owl#"
)
MEASURES = "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/measures.rdf#"
PRODUCT_TYPES = (
    "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/productTypes.rdf#"
)
FACETS = "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/facets.rdf#"
VOCABULARY = (
    "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/vocabulary.rdf#"
)

# The prefixes of the 1.16.0 context, by the short name documents use.
PREFIXES = {
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dfc": FULL_MODEL,
    "dc": "http://purl.org/dc/elements/1.1/#",
    "dfc-b": BUSINESS,
    "dfc-t": TECHNICAL,
    "dfc-m": MEASURES,
    "dfc-pt": PRODUCT_TYPES,
    "dfc-f": FACETS,
    "dfc-v": VOCABULARY,
    "ontosec": "http://www.semanticweb.org/ontologies/2008/11/OntologySecurity.owl#",
}

# Classes of the business ontology (dfc-b) that Cabas writes or will read.
CLASSES = frozenset(
    {
        "Address",
        "CatalogItem",
        "CustomerCategory",
        "Enterprise",
        "Offer",
        "Order",
        "OrderLine",
        "Person",
        "PhoneNumber",
        "PhysicalPlace",
        "PickupOption",
        "Price",
        "QuantitativeValue",
        "SaleSession",
        "SuppliedProduct",
    }
)

# Object properties Cabas writes or reads (their values are nodes or IRIs).
OBJECT_PROPERTIES = frozenset(
    {
        "affiliatedTo",
        "affiliates",
        "belongsTo",
        "concerns",
        "hasAddress",
        "hasCountry",
        "hasFulfilmentStatus",
        "hasMainContact",
        "hasOffer",
        "hasOption",
        "hasOrderStatus",
        "hasPart",
        "hasPaymentStatus",
        "hasPhoneNumber",
        "hasPrice",
        "hasQuantity",
        "hasType",
        "hasUnit",
        "listedIn",
        "lists",
        "managedBy",
        "manages",
        "offeredThrough",
        "offers",
        "offersTo",
        "orderedBy",
        "partOf",
        "pickedUpAt",
        "references",
        "selects",
        "soldBy",
        "suppliedBy",
        "supplies",
    }
)

# Every object property the 1.16.0 business ontology declares (dfc-b), and those of the technical
# ontology (dfc-t): the shipped context makes their string values IRIs, as the published one
# does, so that documents from other platforms expand the same with either.
ONTOLOGY_OBJECT_PROPERTIES = frozenset(
    """
    DFC_BusinessOntology_ObjectProperty DFC_Interface_Property addressOf affiliatedTo
    affiliates allergenCharacteristicOf basedAt belongsTo brandOf certificateOf
    characteristicOf claimOf composedOf composes concernedBy concerns constituedBy
    constitutes consumedBy consumes containerInformationOf coordinatedBy coordinates
    definedBy defines deliveredAt endsAt facetOf from fulfills geographicalOriginOf
    hasAddress hasAllergenCharacteristic hasAllergenDimension hasBrand hasCertification
    hasCharacteristic hasClaim hasContainerInformation hasCountry hasDimension hasFacet
    hasFulfilmentStatus hasGeographicalOrigin hasIngredient hasInput
    hasLabellingCharacteristic hasLabellingDimension hasMainContact hasNatureOrigin
    hasNutrientCharacteristic hasNutrientDimension hasObject hasOffer hasOption
    hasOrderStatus hasOutput hasPart hasPartOrigin hasPaymentMethod hasPaymentStatus
    hasPhoneNumber hasPhysicalCharacteristic hasPhysicalDimension hasPrice hasProcess
    hasQuantity hasReference hasSocialMedia hasStatus hasTemperature hasTransformationType
    hasType hasUnit hasVariant holds hostedAt hosts identifiedBy identifies industrializedBy
    industrializes inputOf isAvailableDuring isFulfilledBy isIngredientOf isOpenDuring
    isPriceOf isShippedIn isTemperatureOf isVariantOf labellingCharacteristicOf listedIn
    lists localizedBy localizes mainContactOf maintainedBy maintains managedBy manages
    natureOriginOf nutrientCharacteristicOf objectOf offeredThrough offers offersTo optionOf
    orderedBy orders outputOf ownedBy owns paidWith partOf partOriginOf phoneNumberOf
    physicalCharacteristicOf pickedUpAt processOf producedBy produces proposedBy proposes
    referenceOf referencedBy references refersTo representedBy represents requestedBy
    requests satisfiedBy satisfies selectedBy selects sells ships socialMediaOf soldBy
    startsAt storedIn stores suppliedBy supplies suppliesTo to tracedBy traces transformedBy
    transforms transportedBy transports typeOf uses
    """.split()
)
TECHNICAL_OBJECT_PROPERTIES = frozenset({"hasPivot", "hostedBy", "owner", "represent"})

# Data properties (their values are literals).
DATA_PROPERTIES = frozenset(
    {
        "VATnumber",
        "VATrate",
        "city",
        "date",
        "description",
        "email",
        "endDate",
        "familyName",
        "firstName",
        "latitude",
        "longitude",
        "name",
        "orderNumber",
        "phoneNumber",
        "postcode",
        "quantity",
        "region",
        "sku",
        "startDate",
        "stockLimitation",
        "street",
        "value",
        "websitePage",
    }
)

# Concepts of the taxonomies that Cabas's mapping (cabas.dfc.mapping) uses, checked against
# the published measures and productTypes of the taxonomies' master (see docs/interop.md).
MEASURE_NAMES = frozenset(
    {
        "4Pack", "6Pack", "Bag", "Basket", "Bottle", "Box", "Bucket", "Bunch", "Bundle", "Can",
        "Carton", "Centilitre", "Crate", "Dozen", "Euro", "Gram", "HalfDozen", "Jar", "Kilogram",
        "Kit", "Litre", "Millilitre", "Net", "Package", "Packet", "Pair", "Piece", "Pot",
        "Pouch", "Punnet", "Roll", "Tablet", "Tin", "Tray", "Tub", "Tube",
    }
)  # fmt: skip
PRODUCT_TYPE_NAMES = frozenset(
    {
        "alcoholic-beverage", "bakery", "beer", "bread", "cosmetic", "dairy-product",
        "dried-fruit", "dried_goods", "drink", "egg", "fruit", "inedible", "lamb",
        "local-grocery-store", "meat-product", "pork", "poultry", "savory-groceries",
        "soft-drink", "vegetable",
    }
)  # fmt: skip

# Names the DFC connectors write that the 1.16.0 ontology does not declare → the ontology's
# name for the same thing ("" when it has none). Object ones are listed in CONNECTOR_OBJECTS.
CONNECTOR_PROPERTIES = {
    "offeredItem": "offers",
    "offeredTo": "offersTo",
    "hasDescription": "description",
    "hasStreet": "street",
    "hasPostalCode": "postcode",
    "hasCity": "city",
    "beginDate": "startDate",
    "image": "",
}
CONNECTOR_OBJECTS = frozenset({"offeredItem", "offeredTo"})


def business(name: str) -> str:
    """The IRI of a business ontology term ("Offer" → its dfc-b IRI)."""
    return BUSINESS + name


def known_predicates(prefixes: dict = PREFIXES) -> frozenset[str]:
    """Every property IRI Cabas may write, declared by the ontology or by the connectors, in
    the namespaces of ``prefixes`` (1.16.0's by default; ``vocabulary_v2.PREFIXES``)."""
    names = OBJECT_PROPERTIES | DATA_PROPERTIES | set(CONNECTOR_PROPERTIES)
    return frozenset(prefixes["dfc-b"] + name for name in names)


def known_classes(prefixes: dict = PREFIXES, renamed: dict | None = None) -> frozenset[str]:
    """Every class IRI Cabas may write; ``renamed`` maps a 1.16.0 name to its new one."""
    renamed = renamed or {}
    return frozenset(prefixes["dfc-b"] + renamed.get(name, name) for name in CLASSES)


def known_concepts(prefixes: dict = PREFIXES) -> frozenset[str]:
    """Every taxonomy concept IRI Cabas may write (units, currencies, product types)."""
    return frozenset(prefixes["dfc-m"] + name for name in MEASURE_NAMES) | frozenset(
        prefixes["dfc-pt"] + name for name in PRODUCT_TYPE_NAMES
    )


def context_1_16() -> dict:
    """The shipped 1.16.0 context (``jsonld/context_1.16.0.json``): the published prefixes, and
    every object property of the ontologies (and the connectors' two) made IRIs."""
    context: dict = dict(PREFIXES)
    for name in sorted(ONTOLOGY_OBJECT_PROPERTIES | CONNECTOR_OBJECTS):
        context[f"dfc-b:{name}"] = {"@type": "@id"}
    for name in sorted(TECHNICAL_OBJECT_PROPERTIES):
        context[f"dfc-t:{name}"] = {"@type": "@id"}
    return {"@context": context}


if __name__ == "__main__":  # pragma: no cover - regenerates the shipped file
    import json
    from pathlib import Path

    target = Path(__file__).resolve().parent / "jsonld" / "context_1.16.0.json"
    target.write_text(json.dumps(context_1_16(), indent=2) + "\n", encoding="utf-8")
