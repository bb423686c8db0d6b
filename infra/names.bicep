// Resource names shared by main.bicep and eventgrid.bicep, so the second template finds what the first created.

@export()
@description('Every resource name derived from the short name, the environment, the resource group id and the Key Vault suffix.')
func names(name string, environment string, resourceGroupId string, keyVaultSuffix string) object => {
  storage: toLower(take('st${name}${environment}${uniqueString(resourceGroupId)}', 24))
  identity: 'id-${name}-${environment}'
  // The suffix changes the vault name (README "Deploy", Key Vault): a deleted vault with purge protection keeps its
  // name for 90 days, so a re-created resource group needs either the recover path or a new name.
  vault: take('kv-${name}-${environment}-${empty(keyVaultSuffix) ? uniqueString(resourceGroupId) : uniqueString(resourceGroupId, keyVaultSuffix)}', 24)
  insights: 'appi-${name}-${environment}'
  functionApp: 'func-${name}-${environment}'
  eventGridTopic: 'evgt-${toLower(take('st${name}${environment}${uniqueString(resourceGroupId)}', 24))}'
}

@export()
@description('The container Event Grid writes undeliverable BlobCreated events to (dead letters).')
var deadLetterContainer = 'ae-inbox-deadletter'
